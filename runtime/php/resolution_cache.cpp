#include "runtime/php/resolution_cache.hpp"

namespace flux::runtime::php {

ResolutionCache& ResolutionCache::for_this_thread() {
  thread_local ResolutionCache cache;
  return cache;
}

std::string ResolutionCache::key(std::uint64_t scope, std::string_view raw_path) {
  std::string k(reinterpret_cast<const char*>(&scope), sizeof scope);
  k.append(raw_path);
  return k;
}

std::shared_ptr<const Resolution> ResolutionCache::find(std::uint64_t scope,
                                                             std::string_view raw_path) {
  const auto it = entries_.find(key(scope, raw_path));
  if (it == entries_.end()) return nullptr;
  if (std::chrono::steady_clock::now() >= it->second.expires) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
    return nullptr;
  }
  return it->second.value;
}

void ResolutionCache::insert(std::uint64_t scope, std::string_view raw_path,
                             std::shared_ptr<const Resolution> resolution) {
  std::string k = key(scope, raw_path);
  if (auto it = entries_.find(k); it != entries_.end()) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
  if (entries_.size() >= kCapacity) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(k);
  Entry e{std::move(resolution), std::chrono::steady_clock::now() + kLifetime, lru_.begin()};
  entries_.emplace(std::move(k), std::move(e));
}

}  // namespace flux::runtime::php
