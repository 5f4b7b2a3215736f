#include "runtime/core/header_policy.hpp"

#include <algorithm>

#include "runtime/http/request.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::core {
namespace {

bool header_value_safe(std::string_view v) {
  return std::none_of(v.begin(), v.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  });
}

// Security defaults are added only when the application did not send its own value: a PHP
// app that sends `X-Frame-Options: SAMEORIGIN` (WordPress' login page does) knows better. The
// values themselves were checked by fluxc (FX0108) and by the snapshot verifier.
void add_default(http::Response& r, std::string_view name, const flatbuffers::String* value) {
  if (value == nullptr || value->size() == 0 || has_header(r, name)) return;
  r.add(std::string(name), value->str());
}

}  // namespace

std::size_t remove_header(http::Response& response, std::string_view name) {
  const auto before = response.headers.size();
  std::erase_if(response.headers, [&](const auto& h) { return http::iequals(h.first, name); });
  return before - response.headers.size();
}

bool has_header(const http::Response& response, std::string_view name) {
  return std::any_of(response.headers.begin(), response.headers.end(),
                     [&](const auto& h) { return http::iequals(h.first, name); });
}

void apply_response_policy(const fxs::ResponseHeaders* policy, bool tls,
                           const TemplateExpander& expand, http::Response& r,
                           PolicyStats& stats) {
  if (policy == nullptr || !policy->enabled()) return;
  if (policy->remove()) {
    for (const auto* name : *policy->remove()) remove_header(r, name->string_view());
  }
  if (policy->set()) {
    for (const auto* entry : *policy->set()) {
      remove_header(r, entry->name()->string_view());
      if (!entry->value()) continue;
      auto value = expand(*entry->value());
      if (!value || !header_value_safe(*value)) {
        ++stats.template_rejects;
        continue;
      }
      r.add(entry->name()->str(), std::move(*value));
    }
  }
  if (policy->append()) {
    for (const auto* entry : *policy->append()) {
      if (!entry->values()) continue;
      for (const auto* tmpl : *entry->values()) {
        auto value = expand(*tmpl);
        if (!value || !header_value_safe(*value)) {
          ++stats.template_rejects;
          continue;
        }
        r.add(entry->name()->str(), std::move(*value));
      }
    }
  }
  add_default(r, "X-Content-Type-Options", policy->x_content_type_options());
  add_default(r, "X-Frame-Options", policy->x_frame_options());
  add_default(r, "Referrer-Policy", policy->referrer_policy());
  add_default(r, "Content-Security-Policy", policy->content_security_policy());
  if (tls) add_default(r, "Strict-Transport-Security", policy->strict_transport_security());
}

}  // namespace flux::runtime::core
