#include "snapshot/host_table.hpp"

#include "snapshot/fxs_generated.h"

namespace flux::snapshot {

std::uint64_t host_hash(std::string_view host) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : host) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::size_t host_bucket_count(std::size_t n) {
  std::size_t size = 1;
  while (size < n * 2) size <<= 1;
  return n == 0 ? 0 : size;
}

std::vector<std::uint32_t> build_host_buckets(const std::vector<std::string>& hosts) {
  std::vector<std::uint32_t> buckets(host_bucket_count(hosts.size()), 0);
  const std::size_t mask = buckets.size() - 1;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    std::size_t b = host_hash(hosts[i]) & mask;
    while (buckets[b] != 0) b = (b + 1) & mask;
    buckets[b] = static_cast<std::uint32_t>(i + 1);
  }
  return buckets;
}

namespace {

bool is_host_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  unsigned value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value <= 65535;
}

}  // namespace

std::optional<std::string> normalize_host(std::string_view raw) {
  std::string host;
  if (!raw.empty() && raw.front() == '[') {  // IPv6 literal, RFC 3986 §3.2.2
    const auto close = raw.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view rest = raw.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !valid_port(rest.substr(1)))) return std::nullopt;
    for (char c : raw.substr(0, close + 1)) {
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      if (!(is_host_char(static_cast<unsigned char>(lower)) || lower == ':' || lower == '[' ||
            lower == ']')) {
        return std::nullopt;
      }
      host.push_back(lower);
    }
    return host;
  }
  std::string_view name = raw;
  if (const auto colon = raw.rfind(':'); colon != std::string_view::npos) {
    if (!valid_port(raw.substr(colon + 1))) return std::nullopt;
    name = raw.substr(0, colon);
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return std::nullopt;
  host.reserve(name.size());
  for (char c : name) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!is_host_char(static_cast<unsigned char>(lower))) return std::nullopt;
    host.push_back(lower);
  }
  if (host.front() == '.' || host.find("..") != std::string::npos) return std::nullopt;
  return host;
}

namespace {

template <typename Entries, typename KeyOf>
std::int32_t probe(const flatbuffers::Vector<std::uint32_t>* buckets, const Entries* entries,
                   std::string_view key, KeyOf key_of) {
  if (buckets == nullptr || entries == nullptr || buckets->size() == 0) return -1;
  const std::size_t mask = buckets->size() - 1;
  std::size_t b = host_hash(key) & mask;
  for (std::size_t probes = 0; probes < buckets->size(); ++probes) {
    const std::uint32_t slot = buckets->Get(static_cast<flatbuffers::uoffset_t>(b));
    if (slot == 0) return -1;
    const auto* entry = entries->Get(slot - 1);
    if (key_of(entry) == key) return static_cast<std::int32_t>(entry->vhost());
    b = (b + 1) & mask;
  }
  return -1;
}

}  // namespace

std::int32_t find_vhost(const fxs::Routing& routing, std::string_view host) {
  const std::int32_t exact = probe(routing.host_buckets(), routing.hosts(), host,
                                   [](const fxs::HostEntry* e) { return e->host()->string_view(); });
  if (exact >= 0) return exact;
  // `*.example.com` is stored as ".example.com" and matches any deeper name, never the apex.
  // Trying the suffixes at each label boundary from the left gives longest-first for free.
  for (std::size_t dot = host.find('.'); dot != std::string_view::npos && dot > 0;
       dot = host.find('.', dot + 1)) {
    const std::int32_t hit =
        probe(routing.wildcard_buckets(), routing.wildcards(), host.substr(dot),
              [](const fxs::WildcardEntry* e) { return e->suffix()->string_view(); });
    if (hit >= 0) return hit;
  }
  return -1;
}

}  // namespace flux::snapshot
