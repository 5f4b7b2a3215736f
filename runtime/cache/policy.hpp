#pragma once
// The cache policy of one `[cache]` table (config-reference.md §10), copied out of the snapshot
// once per generation into plain data ("construct-or-fail, then immutable"), so the request
// path and the unit tests work on vectors instead of FlatBuffers accessors. fluxc has already
// validated every value and expanded presets (§10.1).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flux::fxs {
struct Cache;
}

namespace flux::runtime::cache {

// `key_parts` as a set: rendered in this fixed order whatever order the config lists them in.
struct KeyParts {
  bool method = true;
  bool host = true;
  bool path = true;
  bool query = true;
  bool operator==(const KeyParts&) const = default;
};

using NameValues = std::vector<std::pair<std::string, std::string>>;

struct CachePolicy {
  std::vector<std::string> methods{"GET", "HEAD"};              // uppercase
  std::vector<std::pair<unsigned, std::uint32_t>> status_ttls;  // sorted by status
  std::optional<std::uint32_t> default_status_ttl;
  bool ignore_origin_cache_headers = false;
  KeyParts key_parts;
  bool include_query = true;
  std::int32_t key_template = -1;   // Snapshot.exprs index; -1: key_parts
  std::string key_template_source;  // for comparing policies across generations
  std::string key_namespace;
  std::vector<std::string> vary_request_headers;  // lowercase

  std::vector<std::string> bypass_path_prefixes;
  std::vector<std::string> bypass_path_exact;
  std::vector<std::string> bypass_request_headers;  // lowercase
  NameValues bypass_request_header_values;          // names lowercase
  std::vector<std::string> bypass_cookie_names;
  std::vector<std::string> bypass_cookie_name_prefixes;
  NameValues bypass_cookie_values;
  std::vector<std::string> bypass_query_params;
  NameValues bypass_query_values;
  bool bypass_query = false;
  std::int32_t bypass_when = -1;  // Snapshot.exprs index of the predicate; -1: none
  std::string bypass_when_source;
  std::int32_t no_store_when = -1;
  std::string no_store_when_source;

  std::vector<std::string> no_store_response_headers;  // lowercase
  std::vector<std::string> hide_response_headers;      // lowercase
  std::string status_header;                           // "" = none
  std::optional<std::uint32_t> stale_while_revalidate;
  std::optional<std::uint32_t> stale_if_error;
  std::vector<unsigned> stale_if_error_statuses;  // the default list when none is configured

  bool lock_enabled = true;
  std::chrono::seconds lock_age_timeout{30};
  std::chrono::seconds lock_wait_timeout{30};
  std::uint64_t max_object_bytes = 32u << 20;
  std::uint64_t max_size_bytes = 1u << 30;
  bool allow_client_cache_refresh = false;

  bool operator==(const CachePolicy&) const = default;
};

// Requires a table that fluxc validated (enabled, memory.enabled).
CachePolicy build_policy(const fxs::Cache& cache);

}  // namespace flux::runtime::cache
