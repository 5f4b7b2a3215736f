#pragma once
// The precomputed host tables of the snapshot: an open-addressing hash table over exact host
// names and a wildcard suffix list (longest first). The compiler builds them with the same hash
// the runtime probes with, so lookups never parse or allocate.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flux::fxs {
struct Routing;
}

namespace flux::snapshot {

// FNV-1a 64: deterministic across builds and machines (no seeded std::hash).
std::uint64_t host_hash(std::string_view host);

// Bucket count for n entries: a power of two with load factor <= 0.5.
std::size_t host_bucket_count(std::size_t n);

// Builds the bucket array (0 = empty, else entry index + 1) for hosts in config order.
std::vector<std::uint32_t> build_host_buckets(const std::vector<std::string>& hosts);

// Lowercases, drops a trailing dot and a `:port` (also for `[v6]:port`). Returns nullopt for a
// syntactically invalid host (RFC 9110 §7.2 / RFC 3986 §3.2.2 reg-name restricted to DNS chars).
std::optional<std::string> normalize_host(std::string_view raw);

// Exact match first, then wildcards longest suffix first. -1 = no vhost claims the host (the
// caller applies default_vhost and strict mode, config-reference.md §1.3).
std::int32_t find_vhost(const fxs::Routing& routing, std::string_view normalized_host);

}  // namespace flux::snapshot
