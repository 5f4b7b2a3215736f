#pragma once
// A per-thread cache of open static files (like nginx's open_file_cache or h2o's file cache):
// a hit skips openat2/fstat/close and the validator formatting. Entries live at most one
// second, so a deployed file is picked up within a second; every entry keeps its descriptor
// open through a shared OpenFile, so a response still sending a file is never cut short by an
// eviction.

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runtime/http/response.hpp"

namespace flux::runtime::statics {

struct CachedFile {
  std::shared_ptr<const http::OpenFile> file;
  std::shared_ptr<const std::string> content;  // the bytes of a small file (<= kMemoryLimit)
  struct stat st {};
  std::string etag;
  std::string last_modified;
};

class OpenFileCache {
 public:
  static constexpr std::size_t kCapacity = 1024;
  static constexpr std::chrono::milliseconds kLifetime{1000};
  // Files up to this size are also kept in memory: they leave in one write with their head.
  static constexpr std::size_t kMemoryLimit = 16 * 1024;

  // One instance per I/O thread.
  static OpenFileCache& for_this_thread();

  // `scope` identifies the web root within its generation (see StaticContext::cache_scope).
  const CachedFile* find(std::uint64_t scope, std::string_view path);
  const CachedFile& insert(std::uint64_t scope, std::string_view path, int fd, const struct stat& st);

 private:
  struct Entry {
    CachedFile value;
    std::chrono::steady_clock::time_point expires;
    std::list<std::string>::iterator lru;
  };
  std::string key(std::uint64_t scope, std::string_view path) const;

  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // front = most recently inserted
};

}  // namespace flux::runtime::statics
