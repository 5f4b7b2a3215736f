#include "runtime/supervisor/instance.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace flux::runtime::supervisor {

std::string instance_name(std::uint32_t pid, std::uint32_t counter, std::uint64_t random) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "fh-fpm-%x-%x-%016llx", pid, counter,
                static_cast<unsigned long long>(random));
  return buf;
}

Result<std::string> new_instance_name() {
  static std::atomic<std::uint32_t> counter{0};
  std::uint64_t random = 0;
  // getrandom(2) never returns short for <= 256 bytes once the pool is initialised.
  if (::getrandom(&random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
    return make_error(std::string("getrandom failed: ") + std::strerror(errno));
  }
  return instance_name(static_cast<std::uint32_t>(::getpid()), counter.fetch_add(1), random);
}

}  // namespace flux::runtime::supervisor
