#include "runtime/cache/store.hpp"

#include "runtime/metrics/registry.hpp"

namespace flux::runtime::cache {

Zone::Zone(std::string label, std::uint64_t capacity_bytes, metrics::Registry& metrics)
    : label_(std::move(label)), capacity_(capacity_bytes) {
  const metrics::Label zone[] = {{"zone", label_}};
  objects_gauge_ =
      &metrics.gauge("fluxheim_cache_objects", "Objects held by the cache zone.", zone);
  bytes_gauge_ = &metrics.gauge("fluxheim_cache_bytes", "Bytes held by the cache zone.", zone);
  purges_ =
      &metrics.counter("fluxheim_cache_purges_total", "Objects removed by admin purges.", zone);
  lock_waits_ = &metrics.counter("fluxheim_cache_lock_waits_total",
                                 "Requests that waited for another request's origin fetch.", zone);
}

Zone::~Zone() {
  objects_gauge_->add(-static_cast<std::int64_t>(lru_.size()));
  bytes_gauge_->add(-static_cast<std::int64_t>(bytes_));
}

void Zone::erase(List::iterator it) {
  bytes_ -= it->object->size;
  objects_gauge_->add(-1);
  bytes_gauge_->add(-static_cast<std::int64_t>(it->object->size));
  index_.erase(std::string_view(it->key));
  lru_.erase(it);
}

Lookup Zone::lookup(const std::string& key, Clock::time_point now) {
  std::lock_guard guard(mutex_);
  const auto found = index_.find(std::string_view(key));
  if (found == index_.end()) return {};
  const auto it = found->second;
  const StoredResponse& o = *it->object;
  Freshness state = Freshness::kFresh;
  if (now >= o.fresh_until) {
    if (now < o.stale_until) {
      state = Freshness::kRevalidate;
    } else if (now < o.error_until) {
      state = Freshness::kStale;
    } else {
      erase(it);  // no stale window can use it any more
      return {Freshness::kExpired, nullptr};
    }
  }
  lru_.splice(lru_.begin(), lru_, it);
  return {state, it->object};
}

std::uint64_t Zone::epoch() const {
  std::lock_guard guard(mutex_);
  return epoch_;
}

bool Zone::insert(const std::string& key, std::shared_ptr<const StoredResponse> object,
                  std::uint64_t epoch) {
  if (object->size > capacity_) return false;
  std::lock_guard guard(mutex_);
  if (epoch != epoch_) return false;
  if (const auto found = index_.find(std::string_view(key)); found != index_.end()) {
    erase(found->second);
  }
  while (!lru_.empty() && bytes_ + object->size > capacity_) erase(std::prev(lru_.end()));
  bytes_ += object->size;
  objects_gauge_->add(1);
  bytes_gauge_->add(static_cast<std::int64_t>(object->size));
  lru_.push_front(Node{key, std::move(object)});
  index_.emplace(std::string_view(lru_.front().key), lru_.begin());
  return true;
}

template <typename Pred>
std::size_t Zone::purge_if(Pred pred) {
  std::lock_guard guard(mutex_);
  ++epoch_;
  std::size_t n = 0;
  for (auto it = lru_.begin(); it != lru_.end();) {
    const auto next = std::next(it);
    if (pred(*it)) {
      erase(it);
      ++n;
    }
    it = next;
  }
  purges_->inc(n);
  return n;
}

std::size_t Zone::purge_key(std::string_view key) {
  std::lock_guard guard(mutex_);
  ++epoch_;
  const auto found = index_.find(key);
  if (found == index_.end()) return 0;
  erase(found->second);
  purges_->inc();
  return 1;
}

std::size_t Zone::purge_url(std::string_view host, std::string_view path) {
  return purge_if([&](const Node& n) { return n.object->host == host && n.object->path == path; });
}

std::size_t Zone::purge_prefix(std::string_view host, std::string_view prefix) {
  // A plain byte prefix, as an operator purging "/blog/" or "/blog" expects.
  return purge_if(
      [&](const Node& n) { return n.object->host == host && n.object->path.starts_with(prefix); });
}

std::size_t Zone::objects() const {
  std::lock_guard guard(mutex_);
  return lru_.size();
}

std::uint64_t Zone::bytes() const {
  std::lock_guard guard(mutex_);
  return bytes_;
}

}  // namespace flux::runtime::cache
