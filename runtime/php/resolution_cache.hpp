#pragma once
// A per-thread cache of script resolutions (php-behaviour.md §3.2), the PHP counterpart of the
// static open-file cache: a hit skips the openat2/fstat/close of resolution and the building of
// the script paths. Only "execute" and "decline" results are kept, for one second, so a script
// deployed, removed or replaced is seen within a second; php-fpm opens SCRIPT_FILENAME itself, so
// a script removed inside that second gets php-fpm's own 404.

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runtime/php/resolver.hpp"

namespace flux::runtime::php {

class ResolutionCache {
 public:
  static constexpr std::size_t kCapacity = 1024;
  static constexpr std::chrono::milliseconds kLifetime{1000};

  // One instance per I/O thread.
  static ResolutionCache& for_this_thread();

  static bool cacheable(const Resolution& r) {
    return r.kind == ResolveKind::kExecute || r.kind == ResolveKind::kDecline;
  }

  // `scope` identifies the PHP block across generations (the PHP gateway gives every block its own); `raw_path` is
  // the request path exactly as given to the resolver.
  std::shared_ptr<const Resolution> find(std::uint64_t scope, std::string_view raw_path);
  void insert(std::uint64_t scope, std::string_view raw_path,
              std::shared_ptr<const Resolution> resolution);

 private:
  struct Entry {
    std::shared_ptr<const Resolution> value;
    std::chrono::steady_clock::time_point expires;
    std::list<std::string>::iterator lru;
  };
  static std::string key(std::uint64_t scope, std::string_view raw_path);

  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // front = most recently inserted
};

}  // namespace flux::runtime::php
