#pragma once
// One cache zone: a thread-safe in-memory LRU of stored responses, bounded by
// memory.max_size_bytes (config-reference.md §10), plus the request-coalescing locks of its
// keys. Stored objects are immutable and shared: a lookup hands out a reference-counted
// pointer, so eviction or purge never pulls a body out from under a response being built.
//
// An object is fresh until `fresh_until`; after that it is kept as long as some stale window
// (stale_while_revalidate, stale_if_error; RFC 5861) may still use it, and dropped on the next
// lookup or by LRU eviction.

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runtime/cache/coalescer.hpp"
#include "runtime/cache/response_rules.hpp"

namespace flux::runtime::metrics {
class Counter;
class Gauge;
class Registry;
}  // namespace flux::runtime::metrics

namespace flux::runtime::cache {

using Clock = std::chrono::steady_clock;

struct StoredResponse {
  unsigned status = 200;
  HeaderList headers;  // as the origin sent them, minus hide_response_headers
  std::string body;
  std::string host;  // normalized request host, for purge by URL
  std::string path;  // routing path (unreserved escapes decoded), for purge by URL / prefix
  Clock::time_point stored_at;
  Clock::time_point fresh_until;
  Clock::time_point stale_until;  // end of stale_while_revalidate (== fresh_until when unset)
  Clock::time_point error_until;  // end of stale_if_error (== fresh_until when unset)
  std::uint64_t initial_age = 0;  // the origin's Age (RFC 9111 §4.2.3), seconds
  std::uint64_t size = 0;         // object_size(): what the zone accounts for it
};

enum class Freshness {
  kMiss,        // nothing usable
  kFresh,       // serve as HIT
  kRevalidate,  // stale inside stale_while_revalidate: serve, refresh in the background
  kStale,       // stale, usable only if the origin fails (stale_if_error)
  kExpired,     // was stored, but no window can use it any more (dropped by this lookup)
};

struct Lookup {
  Freshness state = Freshness::kMiss;
  std::shared_ptr<const StoredResponse> object;
};

class Zone {
 public:
  // `label` names the zone in metrics ({vhost}/{scope}); objects/bytes gauges are shared by
  // zones of the same label across generations, so every zone adds and removes only its own.
  Zone(std::string label, std::uint64_t capacity_bytes, metrics::Registry& metrics);
  ~Zone();
  Zone(const Zone&) = delete;
  Zone& operator=(const Zone&) = delete;

  const std::string& label() const { return label_; }
  Lookup lookup(const std::string& key, Clock::time_point now);

  // The purge epoch: read it before going to the origin and pass it to insert(), so that a
  // response fetched before a purge is not stored after it.
  std::uint64_t epoch() const;
  // Stores (replacing an older object of the key) and evicts least-recently-used objects to
  // stay within the capacity. False when refused: bigger than the zone, or a purge ran since
  // `epoch`.
  bool insert(const std::string& key, std::shared_ptr<const StoredResponse> object,
              std::uint64_t epoch);

  // Admin purges (cli.md §6.3); each returns the number of objects removed.
  std::size_t purge_key(std::string_view key);
  std::size_t purge_url(std::string_view host, std::string_view path);
  std::size_t purge_prefix(std::string_view host, std::string_view prefix);

  std::size_t objects() const;
  std::uint64_t bytes() const;
  Coalescer& locks() { return locks_; }
  metrics::Counter& lock_waits() { return *lock_waits_; }

 private:
  struct Node {
    std::string key;
    std::shared_ptr<const StoredResponse> object;
  };
  using List = std::list<Node>;

  void erase(List::iterator it);  // mutex held
  template <typename Pred>
  std::size_t purge_if(Pred pred);

  const std::string label_;
  const std::uint64_t capacity_;
  mutable std::mutex mutex_;
  List lru_;                                                    // front = most recently used
  std::unordered_map<std::string_view, List::iterator> index_;  // views into Node::key
  std::uint64_t bytes_ = 0;
  std::uint64_t epoch_ = 0;
  Coalescer locks_;
  metrics::Gauge* objects_gauge_;
  metrics::Gauge* bytes_gauge_;
  metrics::Counter* purges_;
  metrics::Counter* lock_waits_;
};

}  // namespace flux::runtime::cache
