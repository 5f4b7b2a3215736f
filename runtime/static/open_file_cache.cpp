#include "runtime/static/open_file_cache.hpp"

#include <unistd.h>

#include "runtime/http/http_date.hpp"
#include "runtime/static/conditional.hpp"

namespace flux::runtime::statics {

OpenFileCache& OpenFileCache::for_this_thread() {
  thread_local OpenFileCache cache;
  return cache;
}

std::string OpenFileCache::key(std::uint64_t scope, std::string_view path) const {
  std::string k(reinterpret_cast<const char*>(&scope), sizeof scope);
  k.append(path);
  return k;
}

const CachedFile* OpenFileCache::find(std::uint64_t scope, std::string_view path) {
  const auto it = entries_.find(key(scope, path));
  if (it == entries_.end()) return nullptr;
  if (std::chrono::steady_clock::now() >= it->second.expires) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
    return nullptr;
  }
  return &it->second.value;
}

const CachedFile& OpenFileCache::insert(std::uint64_t scope, std::string_view path, int fd,
                                        const struct stat& st) {
  std::string k = key(scope, path);
  if (auto it = entries_.find(k); it != entries_.end()) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
  if (entries_.size() >= kCapacity) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(k);
  Entry e;
  e.value.file = std::make_shared<const http::OpenFile>(fd);
  e.value.st = st;
  if (static_cast<std::uint64_t>(st.st_size) <= kMemoryLimit) {
    auto bytes = std::make_shared<std::string>(static_cast<std::size_t>(st.st_size), '\0');
    // A short read (the file changed under us) leaves the entry without memory: sendfile then
    // serves what is there, as it does for large files.
    if (::pread(fd, bytes->data(), bytes->size(), 0) == static_cast<ssize_t>(bytes->size())) {
      e.value.content = std::move(bytes);
    }
  }
  e.value.etag = make_etag(static_cast<std::uint64_t>(st.st_size), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  e.value.last_modified = http::format_http_date(st.st_mtim.tv_sec);
  e.expires = std::chrono::steady_clock::now() + kLifetime;
  e.lru = lru_.begin();
  return entries_.emplace(std::move(k), std::move(e)).first->second.value;
}

}  // namespace flux::runtime::statics
