#include "runtime/cache/zones.hpp"

#include "runtime/http/uri.hpp"
#include "snapshot/host_table.hpp"

namespace flux::runtime::cache {
namespace {

CachePolicy without_programs(CachePolicy p) {
  p.key_template = p.bypass_when = p.no_store_when = -1;
  return p;
}

}  // namespace

bool same_storage(const CachePolicy& a, const CachePolicy& b) {
  return without_programs(a) == without_programs(b);
}

std::shared_ptr<Zone> ZoneSet::adopt(const std::string& label, const CachePolicy& policy) {
  std::lock_guard guard(mutex_);
  std::erase_if(slots_, [](const Slot& s) { return s.zone.expired(); });
  for (const Slot& s : slots_) {
    if (s.label != label || !same_storage(s.policy, policy)) continue;
    if (auto zone = s.zone.lock()) return zone;
  }
  auto zone = std::make_shared<Zone>(label, policy.max_size_bytes, metrics_);
  slots_.push_back(Slot{label, policy, zone});
  return zone;
}

std::vector<std::shared_ptr<Zone>> ZoneSet::live() {
  std::lock_guard guard(mutex_);
  std::vector<std::shared_ptr<Zone>> zones;
  for (const Slot& s : slots_) {
    if (auto zone = s.zone.lock()) zones.push_back(std::move(zone));
  }
  return zones;
}

std::size_t ZoneSet::purge(const PurgeRequest& request) {
  // The same normalization as a request's Host (lowercase, no port, no trailing dot); a host
  // no request could have matches nothing.
  const std::string host = snapshot::normalize_host(request.host).value_or(std::string());
  if (request.kind != PurgeRequest::Kind::kKey && host.empty()) return 0;
  const std::string path = http::decode_unreserved(request.path);
  std::size_t purged = 0;
  for (const auto& zone : live()) {
    switch (request.kind) {
      case PurgeRequest::Kind::kKey:
        purged += zone->purge_key(request.key);
        break;
      case PurgeRequest::Kind::kUrl:
        purged += zone->purge_url(host, path);
        break;
      case PurgeRequest::Kind::kPrefix:
        purged += zone->purge_prefix(host, path);
        break;
    }
  }
  return purged;
}

}  // namespace flux::runtime::cache
