#include "snapshot/semantic_check.hpp"

#include <string>

#include "snapshot/fxs_generated.h"
#include "snapshot/utf8.hpp"

namespace flux::snapshot {
namespace {

Error fail(std::string message) { return make_error(std::move(message)); }

template <typename Vec>
std::size_t size_of(const Vec* v) {
  return v == nullptr ? 0 : v->size();
}

bool template_ok(const fxs::Template* t, std::size_t expr_count) {
  return t == nullptr || t->program() < 0 || static_cast<std::size_t>(t->program()) < expr_count;
}

Result<void> check_route_order(const fxs::Vhost& vh) {
  const std::size_t n = size_of(vh.routes());
  for (const auto* list : {vh.exact_routes(), vh.prefix_routes(), vh.regex_routes()}) {
    if (list == nullptr) continue;
    for (auto idx : *list) {
      if (idx >= n) return fail("vhost `" + vh.name()->str() + "` route index out of range");
    }
  }
  if (vh.fallback_route() >= static_cast<std::int32_t>(n)) {
    return fail("vhost `" + vh.name()->str() + "` fallback route out of range");
  }
  return {};
}

Result<void> check_vhosts(const fxs::Snapshot& s) {
  const auto* vhosts = s.config()->vhosts();
  const std::size_t exprs = size_of(s.exprs());
  const std::size_t regexes = size_of(s.routing()->regexes());
  if (vhosts == nullptr) return {};
  for (const auto* vh : *vhosts) {
    if (vh->name() == nullptr || !is_valid_utf8(vh->name()->string_view())) {
      return fail("vhost without a valid name");
    }
    if (auto r = check_route_order(*vh); !r) return r;
    if (vh->redirect() && !template_ok(vh->redirect()->to(), exprs)) {
      return fail("vhost `" + vh->name()->str() + "` redirect program out of range");
    }
    if (vh->routes() == nullptr) continue;
    for (const auto* route : *vh->routes()) {
      if (route->name() == nullptr) return fail("route without a name");
      if (!template_ok(route->when(), exprs) || !template_ok(route->rewrite_template(), exprs) ||
          (route->redirect() && !template_ok(route->redirect()->to(), exprs))) {
        return fail("route `" + route->name()->str() + "` expression index out of range");
      }
      if (route->regex() >= static_cast<std::int32_t>(regexes)) {
        return fail("route `" + route->name()->str() + "` regex index out of range");
      }
    }
  }
  return {};
}

Result<void> check_routing(const fxs::Snapshot& s) {
  const auto* routing = s.routing();
  const std::size_t n = size_of(s.config()->vhosts());
  if (routing->default_vhost() >= static_cast<std::int32_t>(n)) {
    return fail("default vhost index out of range");
  }
  if (routing->hosts()) {
    for (const auto* e : *routing->hosts()) {
      if (e->vhost() >= n || e->host() == nullptr) return fail("host table entry out of range");
    }
  }
  const std::size_t hosts = size_of(routing->hosts());
  const std::size_t buckets = size_of(routing->host_buckets());
  if (hosts != 0 && (buckets < hosts || (buckets & (buckets - 1)) != 0)) {
    return fail("host hash table has an invalid size");
  }
  if (routing->host_buckets()) {
    for (auto b : *routing->host_buckets()) {
      if (b > hosts) return fail("host hash bucket out of range");
    }
  }
  if (routing->wildcards()) {
    for (const auto* e : *routing->wildcards()) {
      if (e->vhost() >= n || e->suffix() == nullptr) return fail("wildcard entry out of range");
    }
  }
  if (routing->mime()) {
    for (const auto* e : *routing->mime()) {
      if (e->ext() == nullptr || e->type() == nullptr) return fail("MIME entry incomplete");
    }
  }
  return {};
}

}  // namespace

Result<void> check_semantics(const fxs::Snapshot& s) {
  if (s.config() == nullptr || s.routing() == nullptr) return fail("missing config or routing");
  if (s.config()->server() == nullptr) return fail("missing [server]");
  if (auto r = check_routing(s); !r) return r;
  return check_vhosts(s);
}

}  // namespace flux::snapshot
