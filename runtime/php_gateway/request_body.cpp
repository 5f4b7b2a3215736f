#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/php_gateway/request_body.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

namespace flux::runtime::php_gateway {
namespace {

namespace asio = boost::asio;
constexpr std::size_t kChunk = 64 * 1024;

bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

std::string random_hex16() {
  unsigned char bytes[8] = {};
  if (::getrandom(bytes, sizeof bytes, 0) != sizeof bytes) {
    const auto t = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::memcpy(bytes, &t, sizeof bytes);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

// The directory must be ours to write: a real directory, not a symlink, not g+w/o+w.
bool safe_directory(const std::string& path, std::string& error) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    error = "spool dir " + path + ": " + std::strerror(errno);
    return false;
  }
  if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
    error = "spool dir " + path + " is not a real directory";
    return false;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    error = "spool dir " + path + " is group/world-writable";
    return false;
  }
  return true;
}

}  // namespace

RequestBody::RequestBody(RequestBody&& o) noexcept
    : status(o.status),
      memory(std::move(o.memory)),
      spool_fd(std::exchange(o.spool_fd, -1)),
      length(o.length),
      error(std::move(o.error)) {}

RequestBody::~RequestBody() {
  if (spool_fd >= 0) ::close(spool_fd);
}

int open_spool_file(const std::string& dir, std::string& error) {
  for (std::size_t pos = dir.find('/', 1);; pos = dir.find('/', pos + 1)) {
    const std::string prefix = pos == std::string::npos ? dir : dir.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      error = "cannot create spool dir " + prefix + ": " + std::strerror(errno);
      return -1;
    }
    if (pos == std::string::npos) break;
  }
  if (!safe_directory(dir, error)) return -1;
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // Without O_TMPFILE: an exclusive named file, unlinked right after creation.
  static std::atomic<std::uint64_t> counter{0};
  const std::string name = dir + "/.fluxheim-php-body-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter.fetch_add(1)) + "-" + random_hex16() + ".tmp";
  fd = ::open(name.c_str(), O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_RDWR, 0600);
  if (fd < 0) {
    error = "cannot create spool file in " + dir + ": " + std::strerror(errno);
    return -1;
  }
  ::unlink(name.c_str());
  return fd;
}

asio::awaitable<RequestBody> read_request_body(http::Exchange& ex, const BodyOptions& options) {
  RequestBody body;
  ex.set_body_limit(options.limit);
  ex.set_body_deadline(options.deadline);
  if (!ex.request().has_body()) co_return body;
  // Uninitialized: most bodies are small and a zero-filled 64 KiB buffer is pure cost.
  const std::unique_ptr<char[]> storage(new char[kChunk]);
  const std::span<char> buffer(storage.get(), kChunk);
  while (true) {
    const http::BodyRead r = co_await ex.read_body(buffer);
    switch (r.status) {
      case http::BodyStatus::kEnd: co_return body;
      case http::BodyStatus::kTooLarge: body.status = BodyStatus::kTooLarge; co_return body;
      case http::BodyStatus::kTimeout: body.status = BodyStatus::kTimeout; co_return body;
      case http::BodyStatus::kMalformed: body.status = BodyStatus::kMalformed; co_return body;
      case http::BodyStatus::kClosed: body.status = BodyStatus::kClosed; co_return body;
      case http::BodyStatus::kData: break;
    }
    if (options.discard) continue;  // read and size-limited, then dropped (§6)
    const bool spool_now = body.spool_fd < 0 && options.spool_threshold &&
                           body.length + r.bytes > *options.spool_threshold;
    if (spool_now) {
      body.spool_fd = open_spool_file(options.spool_dir, body.error);
      if (body.spool_fd < 0 || !write_all(body.spool_fd, body.memory.data(), body.memory.size())) {
        body.status = BodyStatus::kSpoolError;
        co_return body;
      }
      body.memory.clear();
      body.memory.shrink_to_fit();
    }
    if (body.spool_fd >= 0) {
      if (!write_all(body.spool_fd, buffer.data(), r.bytes)) {
        body.status = BodyStatus::kSpoolError;
        body.error = std::string("spool write failed: ") + std::strerror(errno);
        co_return body;
      }
    } else {
      body.memory.append(buffer.data(), r.bytes);
    }
    body.length += r.bytes;
  }
}

}  // namespace flux::runtime::php_gateway
