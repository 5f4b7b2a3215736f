#include "runtime/core/request_policy.hpp"

#include <algorithm>

#include "snapshot/fxs_generated.h"

namespace flux::runtime::core {
namespace {

constexpr std::string_view kClientIpHeaders[] = {"x-forwarded-for", "x-real-ip", "forwarded",
                                                 "x-forwarded-host", "x-forwarded-proto"};

void remove(HeaderList& h, std::string_view name) {
  std::erase_if(h, [&](const auto& e) { return http::iequals(e.first, name); });
}

const std::string* find(const HeaderList& h, std::string_view name) {
  for (const auto& e : h) {
    if (http::iequals(e.first, name)) return &e.second;
  }
  return nullptr;
}

void set(HeaderList& h, std::string name, std::string value) {
  remove(h, name);
  h.emplace_back(std::move(name), std::move(value));
}

std::string forwarded_node(const std::string& ip) {
  // RFC 7239 §6: IPv6 nodes are quoted and bracketed.
  return ip.find(':') != std::string::npos ? "\"[" + ip + "]\"" : ip;
}

}  // namespace

HeaderList apply_request_policy(const fxs::RequestHeaders* policy, const http::Request& req,
                                bool peer_trusted, const TemplateExpander& expand) {
  HeaderList out;
  out.reserve(req.headers.size() + 4);
  for (const auto& h : req.headers) out.emplace_back(std::string(h.name), std::string(h.value));
  if (policy == nullptr || !policy->enabled()) return out;
  if (policy->strip_inbound_client_ip_headers() && !peer_trusted) {
    for (auto name : kClientIpHeaders) remove(out, name);
  }
  const std::string scheme = req.tls ? "https" : "http";
  const std::string_view xff = policy->x_forwarded_for() ? policy->x_forwarded_for()->string_view() : "replace";
  if (xff == "replace") {
    set(out, "X-Forwarded-For", req.client.ip);
  } else if (xff == "append") {
    const std::string* prior = find(out, "x-forwarded-for");
    set(out, "X-Forwarded-For", prior && !prior->empty() ? *prior + ", " + req.peer.ip : req.peer.ip);
  }
  if (policy->x_real_ip()) set(out, "X-Real-IP", req.client.ip);
  if (policy->x_forwarded_host() && !req.host_raw.empty() &&
      !(peer_trusted && find(out, "x-forwarded-host"))) {
    set(out, "X-Forwarded-Host", std::string(req.host_raw));
  }
  if (policy->x_forwarded_proto() && !(peer_trusted && find(out, "x-forwarded-proto"))) {
    set(out, "X-Forwarded-Proto", scheme);
  }
  if (policy->forwarded()) {
    std::string value = "for=" + forwarded_node(req.client.ip) + ";proto=" + scheme;
    if (!req.host_raw.empty()) value += ";host=\"" + std::string(req.host_raw) + "\"";
    set(out, "Forwarded", std::move(value));
  }
  if (policy->remove()) {
    for (const auto* name : *policy->remove()) remove(out, name->string_view());
  }
  if (policy->set()) {
    for (const auto* e : *policy->set()) {
      if (!e->value()) continue;
      if (auto v = expand(*e->value())) set(out, e->name()->str(), std::move(*v));
    }
  }
  if (policy->append()) {
    for (const auto* e : *policy->append()) {
      if (!e->values()) continue;
      for (const auto* t : *e->values()) {
        if (auto v = expand(*t)) out.emplace_back(e->name()->str(), std::move(*v));
      }
    }
  }
  return out;
}

}  // namespace flux::runtime::core
