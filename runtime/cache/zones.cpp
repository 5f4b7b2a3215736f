#include "runtime/cache/zones.hpp"

#include <cctype>

#include "runtime/http/uri.hpp"

namespace flux::runtime::cache {
namespace {

CachePolicy without_programs(CachePolicy p) {
  p.key_template = p.bypass_when = p.no_store_when = -1;
  return p;
}

std::string normalize_host(std::string_view host) {
  std::string out(host);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
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
  const std::string host = normalize_host(request.host);
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
