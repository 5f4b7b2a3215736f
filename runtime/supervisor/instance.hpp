#pragma once
// The instance name of a managed pool and the files it owns in socket_dir
// (php-behaviour.md §14.1 steps 2-3). A fresh random name per start means files left behind by
// a killed gateway never collide with a new start (§14.6).

#include <cstdint>
#include <string>

#include "snapshot/result.hpp"

namespace flux::runtime::supervisor {

// `fh-fpm-{pid lowercase hex}-{counter hex}-{16 hex random}`, e.g. pid 42, counter 7, random
// 0xfeed -> `fh-fpm-2a-7-000000000000feed`. At most 7 + 8 + 1 + 8 + 1 + 16 = 41 characters
// (§14.1: <= 48; fluxc sizes socket_dir for the name plus `.sock`).
std::string instance_name(std::uint32_t pid, std::uint32_t counter, std::uint64_t random);

// A name for this process: its pid, a process-wide counter and 64 bits from getrandom(2).
Result<std::string> new_instance_name();

struct InstanceFiles {
  std::string dir;   // socket_dir, absolute
  std::string name;  // instance name

  std::string sock() const { return path(".sock"); }
  std::string conf() const { return path(".conf"); }
  std::string pid() const { return path(".pid"); }
  std::string log() const { return path(".log"); }
  std::string slow_log() const { return path(".slow.log"); }

 private:
  std::string path(const char* suffix) const { return dir + "/" + name + suffix; }
};

}  // namespace flux::runtime::supervisor
