#pragma once
// Every live cache zone of the process. Zones are owned by the generations that use them and
// shared across generations: a reload whose [cache] table of a vhost/route is unchanged keeps
// that zone and its objects (shared hosts reload often, and a cold cache after every reload
// would send each reload's traffic to php-fpm at once), while a changed policy gets a fresh
// zone (stored objects were admitted and shaped under the old rules). Old zones die with the
// last request of their generation. Purges reach every live zone, so they also cover objects
// that requests of an older generation may still be serving.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/cache/policy.hpp"
#include "runtime/cache/store.hpp"

namespace flux::runtime::metrics {
class Registry;
}

namespace flux::runtime::cache {

struct PurgeRequest {
  enum class Kind { kKey, kUrl, kPrefix };
  Kind kind = Kind::kKey;
  std::string key;   // kKey
  std::string host;  // kUrl, kPrefix
  std::string path;  // kUrl: the path; kPrefix: the prefix
};

// Two policies store the same objects under the same keys (expression programs compared by
// source, since their indices move when other expressions of the snapshot change).
bool same_storage(const CachePolicy& a, const CachePolicy& b);

class ZoneSet {
 public:
  explicit ZoneSet(metrics::Registry& metrics) : metrics_(metrics) {}
  ZoneSet(const ZoneSet&) = delete;
  ZoneSet& operator=(const ZoneSet&) = delete;

  // The zone for `label` under `policy`: a live zone of that label with the same storage
  // policy, or a new one.
  std::shared_ptr<Zone> adopt(const std::string& label, const CachePolicy& policy);

  // cli.md §6.3. Host and path are normalized as requests are (lowercase host without port
  // and trailing dot; unreserved escapes of the path decoded). Returns the objects removed.
  std::size_t purge(const PurgeRequest& request);

 private:
  struct Slot {
    std::string label;
    CachePolicy policy;
    std::weak_ptr<Zone> zone;
  };
  std::vector<std::shared_ptr<Zone>> live();

  metrics::Registry& metrics_;
  std::mutex mutex_;
  std::vector<Slot> slots_;
};

}  // namespace flux::runtime::cache
