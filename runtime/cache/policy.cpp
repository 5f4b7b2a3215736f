#include "runtime/cache/policy.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "snapshot/fxs_generated.h"

namespace flux::runtime::cache {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

using Strings = flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>;
using Pairs = flatbuffers::Vector<flatbuffers::Offset<fxs::NameValue>>;

std::vector<std::string> strings(const Strings* v, bool lowercase = false) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  out.reserve(v->size());
  for (const auto* s : *v) out.push_back(lowercase ? lower(s->string_view()) : s->str());
  return out;
}

NameValues pairs(const Pairs* v, bool lowercase_names = false) {
  NameValues out;
  if (v == nullptr) return out;
  for (const auto* p : *v) {
    const std::string_view name = p->name() ? p->name()->string_view() : "";
    out.emplace_back(lowercase_names ? lower(name) : std::string(name),
                     p->value() ? p->value()->str() : std::string());
  }
  return out;
}

KeyParts key_parts(const Strings* v) {
  if (v == nullptr || v->size() == 0) return {};
  KeyParts k{false, false, false, false};
  for (const auto* s : *v) {
    const std::string_view p = s->string_view();
    k.method = k.method || p == "method";
    k.host = k.host || p == "host";
    k.path = k.path || p == "path";
    k.query = k.query || p == "query";
  }
  return k;
}

void set_program(const fxs::Template* t, std::int32_t& index, std::string& source) {
  if (t == nullptr) return;
  index = t->program();
  source = t->source() ? t->source()->str() : std::string();
}

}  // namespace

CachePolicy build_policy(const fxs::Cache& c) {
  CachePolicy p;
  p.methods = strings(c.methods());
  if (p.methods.empty()) p.methods = {"GET", "HEAD"};
  if (const auto* ttls = c.status_ttls()) {
    for (const auto* t : *ttls) {
      unsigned status = 0;
      const std::string_view name = t->name() ? t->name()->string_view() : "";
      std::from_chars(name.data(), name.data() + name.size(), status);
      p.status_ttls.emplace_back(status, t->value());
    }
    std::sort(p.status_ttls.begin(), p.status_ttls.end());
  }
  p.default_status_ttl = c.default_status_ttl_secs();
  p.ignore_origin_cache_headers = c.ignore_origin_cache_headers();
  p.key_parts = key_parts(c.key_parts());
  p.include_query = c.include_query();
  set_program(c.key_template(), p.key_template, p.key_template_source);
  if (c.key_namespace()) p.key_namespace = c.key_namespace()->str();
  p.vary_request_headers = strings(c.vary_request_headers(), true);
  p.bypass_path_prefixes = strings(c.bypass_path_prefixes());
  p.bypass_path_exact = strings(c.bypass_path_exact());
  p.bypass_request_headers = strings(c.bypass_request_headers(), true);
  p.bypass_request_header_values = pairs(c.bypass_request_header_values(), true);
  p.bypass_cookie_names = strings(c.bypass_cookie_names());
  p.bypass_cookie_name_prefixes = strings(c.bypass_cookie_name_prefixes());
  p.bypass_cookie_values = pairs(c.bypass_cookie_values());
  p.bypass_query_params = strings(c.bypass_query_params());
  p.bypass_query_values = pairs(c.bypass_query_values());
  p.bypass_query = c.bypass_query();
  set_program(c.bypass_when(), p.bypass_when, p.bypass_when_source);
  set_program(c.no_store_when(), p.no_store_when, p.no_store_when_source);
  p.no_store_response_headers = strings(c.no_store_response_headers(), true);
  p.hide_response_headers = strings(c.hide_response_headers(), true);
  if (c.status_header()) p.status_header = c.status_header()->str();
  p.stale_while_revalidate = c.stale_while_revalidate_secs();
  p.stale_if_error = c.stale_if_error_secs();
  if (const auto* s = c.stale_if_error_statuses(); s != nullptr && s->size() != 0) {
    p.stale_if_error_statuses.assign(s->begin(), s->end());
  } else {
    p.stale_if_error_statuses = {500, 502, 503, 504};  // §10 default
  }
  if (const auto* lock = c.lock()) {
    p.lock_enabled = lock->enabled();
    p.lock_age_timeout = std::chrono::seconds(lock->age_timeout_secs());
    p.lock_wait_timeout = std::chrono::seconds(lock->wait_timeout_secs());
  }
  p.max_object_bytes = c.max_object_bytes();
  if (const auto* memory = c.memory()) p.max_size_bytes = memory->max_size_bytes();
  p.allow_client_cache_refresh = c.allow_client_cache_refresh();
  return p;
}

}  // namespace flux::runtime::cache
