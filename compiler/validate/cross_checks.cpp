// Cross-reference checks (issue 3 "Cross-reference checks"; config-reference.md §1, §3, §7):
// vhost names and hosts unique, default_vhost exists, TLS listeners have certificates,
// https_redirect has a TLS listener, managed pools do not share a socket_dir.

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/validate/validate.hpp"

namespace flux::compiler {
namespace {

using V = ir::Value;

const V* at(const V* v, std::string_view key) {
  const V* r = v != nullptr ? v->get(key) : nullptr;
  return r != nullptr && r->present() ? r : nullptr;
}

const std::vector<V>& items(const V* v, std::string_view key) {
  static const std::vector<V> kEmpty;
  const V* r = at(v, key);
  return r != nullptr ? r->items : kEmpty;
}

std::string vhost_path(std::size_t i) { return index_path("vhosts", i); }

void unique_vhosts(Context& ctx, const V& root) {
  std::unordered_map<std::string_view, const V*> names, hosts;
  const auto& vhosts = items(&root, "vhosts");
  for (std::size_t i = 0; i < vhosts.size(); ++i) {
    if (const V* name = at(&vhosts[i], "name")) {
      const auto [it, fresh] = names.emplace(name->str, name);
      if (!fresh) {
        add_note(ctx.report(Code::FX0401, join_path(vhost_path(i), "name"),
                            "duplicate vhost name `" + name->str + "`", name->origin),
                 "first defined", it->second->origin.value);
      }
    }
    const auto& hs = items(&vhosts[i], "hosts");
    for (std::size_t h = 0; h < hs.size(); ++h) {
      const auto [it, fresh] = hosts.emplace(hs[h].str, &hs[h]);
      if (!fresh) {
        add_note(ctx.report(Code::FX0402, index_path(join_path(vhost_path(i), "hosts"), h),
                            "duplicate host `" + hs[h].str + "`", hs[h].origin),
                 "first claimed", it->second->origin.value);
      }
    }
  }
}

void default_vhost(Context& ctx, const V& root) {
  const V* dv = at(at(&root, "server"), "default_vhost");
  if (dv == nullptr || dv->str.find_first_not_of(" \t") == std::string::npos) return;
  for (const V& vh : items(&root, "vhosts")) {
    const V* name = at(&vh, "name");
    if (name != nullptr && name->str == dv->str) return;
  }
  ctx.report(Code::FX0403, "server.default_vhost",
             "default_vhost `" + dv->str + "` does not name a vhost", dv->origin);
}

bool has_certificate(const V& vhost) { return at(at(&vhost, "tls"), "certificate") != nullptr; }

// §3: tls_listen needs tls.enabled and a fallback certificate; vhost TLS needs a certificate.
void tls_checks(Context& ctx, V& root) {
  const V* server = at(&root, "server");
  const V* tls_listen = at(server, "tls_listen");
  const bool listening = tls_listen != nullptr && !tls_listen->items.empty();
  const V* tls = at(&root, "tls");
  const bool global_certs = !items(tls, "certificates").empty();
  if (listening) {
    const V* enabled = at(tls, "enabled");
    if (enabled == nullptr || !enabled->boolean) {
      ctx.report(Code::FX0303, "server.tls_listen", "server.tls_listen requires tls.enabled = true",
                 tls_listen->origin);
    }
    bool fallback = global_certs;
    const V* dv = at(server, "default_vhost");
    for (const V& vh : items(&root, "vhosts")) {
      const V* name = at(&vh, "name");
      if (dv && name && name->str == dv->str && has_certificate(vh)) fallback = true;
    }
    if (!fallback) {
      ctx.report(Code::FX0303, "server.tls_listen",
                 "server.tls_listen requires a static fallback certificate", tls_listen->origin);
    }
  }
  V* vhosts = root.get("vhosts");
  for (std::size_t i = 0; vhosts != nullptr && i < vhosts->items.size(); ++i) {
    V* vtls = vhosts->items[i].get("tls");
    if (vtls == nullptr || !vtls->present()) continue;
    V* enabled = vtls->get("enabled");
    const bool own_cert = has_certificate(vhosts->items[i]);
    if (enabled->origin.defaulted) {
      // Default true when TLS listeners exist and a certificate covers the vhost. SAN coverage
      // is only known when the runtime reads the files, so "covers" means: the vhost has its own
      // certificate or global certificates exist (documented in docs/config-reference.md).
      enabled->boolean = listening && (own_cert || global_certs);
    } else if (enabled->boolean && !own_cert && !global_certs) {
      ctx.report(Code::FX0303, join_path(vhost_path(i), "tls.enabled"),
                 "vhost TLS is enabled without a certificate source", enabled->origin);
    }
  }
}

void https_redirect(Context& ctx, const V& root) {
  const V* server = at(&root, "server");
  const V* enabled = at(at(server, "https_redirect"), "enabled");
  if (enabled == nullptr || !enabled->boolean) return;
  if (items(server, "tls_listen").empty()) {
    ctx.report(Code::FX0205, "server.https_redirect.enabled",
               "https_redirect requires server.tls_listen", enabled->origin);
  }
}

// Managed pools: two masters may not share a socket_dir (their generated file names share the
// `fh-fpm-` prefix in that directory; php-behaviour.md §14.1).
void managed_socket_dirs(Context& ctx, const V& root) {
  std::map<std::string, const V*> dirs;
  auto visit = [&](const V* php, const std::string& path) {
    if (php == nullptr || !at(php, "enabled") || !at(php, "enabled")->boolean) return;
    const V* fpm = at(php, "fpm");
    const V* mode = at(fpm, "mode");
    const V* dir = at(fpm, "socket_dir");
    if (mode == nullptr || mode->str != "managed" || dir == nullptr) return;
    const auto [it, fresh] = dirs.emplace(dir->str, dir);
    if (!fresh) {
      add_note(ctx.report(Code::FX0610, join_path(path, "php.fpm.socket_dir"),
                          "managed php-fpm pools must not share socket_dir `" + dir->str + "`",
                          dir->origin),
               "also used", it->second->origin.value);
    }
  };
  const auto& vhosts = items(&root, "vhosts");
  for (std::size_t i = 0; i < vhosts.size(); ++i) {
    visit(at(&vhosts[i], "php"), vhost_path(i));
    const auto& routes = items(&vhosts[i], "routes");
    for (std::size_t r = 0; r < routes.size(); ++r) {
      visit(at(&routes[r], "php"), index_path(join_path(vhost_path(i), "routes"), r));
    }
  }
}

// cli.md §8 FX0906: the effective body limit of a PHP block (php, else route, else vhost, else
// server.limits; php-behaviour.md §6) above 64MiB without spooling is buffered in memory.
void large_bodies(Context& ctx, const V& root) {
  constexpr std::uint64_t kLimit = 64ULL << 20;
  const V* limits = at(at(&root, "server"), "limits");
  const V* global = at(limits, "max_request_body_bytes");
  auto visit = [&](const V* php, const std::vector<const V*>& scopes, const std::string& path) {
    if (php == nullptr || !at(php, "enabled") || !at(php, "enabled")->boolean) return;
    if (at(php, "request_body_spool_threshold_bytes") && at(php, "request_body_spool_dir")) return;
    const V* limit = at(php, "max_request_body_bytes");
    for (const V* s : scopes) limit = limit != nullptr ? limit : at(s, "max_request_body_bytes");
    if (limit == nullptr) limit = global;
    if (limit == nullptr || limit->uint <= kLimit) return;
    ctx.report(Code::FX0906, join_path(path, "php.max_request_body_bytes"),
               "request bodies up to " + std::to_string(limit->uint) +
                   " bytes are buffered in memory; set request_body_spool_threshold_bytes and "
                   "request_body_spool_dir",
               limit->origin.defaulted ? php->origin : limit->origin);
  };
  const auto& vhosts = items(&root, "vhosts");
  for (std::size_t i = 0; i < vhosts.size(); ++i) {
    visit(at(&vhosts[i], "php"), {&vhosts[i]}, vhost_path(i));
    const auto& routes = items(&vhosts[i], "routes");
    for (std::size_t r = 0; r < routes.size(); ++r) {
      visit(at(&routes[r], "php"), {&routes[r], &vhosts[i]},
            index_path(join_path(vhost_path(i), "routes"), r));
    }
  }
}

}  // namespace

void cross_checks(Context& ctx, ir::Document& doc) {
  unique_vhosts(ctx, doc.root);
  default_vhost(ctx, doc.root);
  tls_checks(ctx, doc.root);
  https_redirect(ctx, doc.root);
  managed_socket_dirs(ctx, doc.root);
  large_bodies(ctx, doc.root);
}

}  // namespace flux::compiler
