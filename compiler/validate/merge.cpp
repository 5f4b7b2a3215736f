// Header policy overlays (config-reference.md §4): the global tables set the policy; a vhost's
// and then a route's tables overlay it. Each given key replaces the inherited scalar; `remove`
// entries are unioned and `set`/`append` entries merge by header name. The result is stored per
// vhost and per route so the runtime never merges; an overlay that gives nothing shares its
// parent's table instead of copying it. A route's cache overlays its vhost's cache the same way.

#include <algorithm>

#include "compiler/validate/validate.hpp"

namespace flux::compiler {
namespace {

using V = ir::Value;

bool gives_anything(const V& overlay) {
  return std::any_of(overlay.fields.begin(), overlay.fields.end(),
                     [](const auto& f) { return f.value.present() && !f.value.origin.defaulted; });
}

V merge_policy(const V& parent, const V& overlay) {
  V out = parent.deref();
  for (const auto& [name, value] : overlay.fields) {
    if (!value.present() || value.origin.defaulted) continue;
    V* inherited = out.get(name);
    if (name == "remove" && inherited != nullptr) {
      for (const V& item : value.items) {
        const bool dup = std::any_of(inherited->items.begin(), inherited->items.end(),
                                     [&](const V& i) { return i.str == item.str; });
        if (!dup) inherited->items.push_back(item);
      }
    } else if ((name == "set" || name == "append") && inherited != nullptr) {
      for (const auto& [header, v] : value.fields) inherited->set(header, v);
    } else {
      out.set(name, value);
    }
  }
  return out;
}

// Returns the effective Headers table for `overlay` on top of `parent` (both Headers tables).
const V* merge_headers(ir::Document& doc, const V* parent, const V* overlay) {
  if (overlay == nullptr || !overlay->present()) return parent;
  const V* req = overlay->get("request");
  const V* resp = overlay->get("response");
  const bool req_given = req != nullptr && gives_anything(*req);
  const bool resp_given = resp != nullptr && gives_anything(*resp);
  if (!req_given && !resp_given) return parent;
  V merged = V::table(overlay->origin);
  struct Part {
    const char* name;
    bool given;
    const V* overlay;
  };
  for (const Part& p : {Part{"request", req_given, req}, Part{"response", resp_given, resp}}) {
    const V* inherited = parent->deref().get(p.name);
    if (p.given) {
      merged.set(p.name, merge_policy(*inherited, *p.overlay));
    } else {
      V ref;
      ref.kind = V::Kind::Ref;
      ref.ref = &inherited->deref();
      merged.set(p.name, std::move(ref));
    }
  }
  return doc.share(std::move(merged));
}

V make_ref(const V* target) {
  V ref;
  ref.kind = V::Kind::Ref;
  ref.ref = &target->deref();
  ref.origin = target->origin;
  return ref;
}

// §7.4 route `cache` is an overlay of the vhost's cache: every key the route gives replaces the
// vhost's value (no list merging: a route that lists bypass paths means exactly those).
void merge_route_cache(const V* vhost_cache, V& route) {
  V* own = route.get("cache");
  if (vhost_cache == nullptr || !vhost_cache->present() || own == nullptr || !own->present())
    return;
  V merged = *vhost_cache;
  for (const auto& f : own->fields) {
    if (f.value.present() && !f.value.origin.defaulted) merged.set(f.name, f.value);
  }
  merged.origin = own->origin;
  *own = std::move(merged);
}

}  // namespace

void merge_overlays(ir::Document& doc) {
  const V* global = doc.root.get("headers");
  V* vhosts = doc.root.get("vhosts");
  if (global == nullptr || vhosts == nullptr) return;
  for (V& vh : vhosts->items) {
    const V* vh_headers = merge_headers(doc, global, vh.get("headers"));
    V* routes = vh.get("routes");
    for (std::size_t r = 0; routes != nullptr && r < routes->items.size(); ++r) {
      V& route = routes->items[r];
      const V* route_headers = merge_headers(doc, vh_headers, route.get("headers"));
      route.set("headers", make_ref(route_headers));
      merge_route_cache(vh.get("cache"), route);
    }
    vh.set("headers", make_ref(vh_headers));
  }
}

}  // namespace flux::compiler
