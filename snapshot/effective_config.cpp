#include "snapshot/effective_config.hpp"

#include <flatbuffers/reflection.h>

#include <algorithm>

#include "snapshot/directive_table.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::snapshot {
namespace {

using reflection::BaseType;

std::string scalar_field(const flatbuffers::Table& t, const reflection::Object& obj,
                         const char* name) {
  const auto* f = obj.fields()->LookupByKey(name);
  return f != nullptr ? field_json(t, *f) : "null";
}

// The "=rule" defaults of directives.def (mirrors compiler/validate/computed_defaults.cpp).
std::string computed_default(std::string_view rule, const flatbuffers::Table& t,
                             const reflection::Object& obj) {
  auto num = [&](const char* k) {
    return std::strtoull(scalar_field(t, obj, k).c_str(), nullptr, 10);
  };
  const bool managed = scalar_field(t, obj, "mode") == "\"managed\"";
  if (rule == "=root") return scalar_field(t, obj, "root");
  if (rule == "=4*max_in_flight") return std::to_string(4 * num("max_in_flight"));
  if (rule == "=managed") return managed ? "true" : "false";
  if (rule == "=pool_max_idle") {
    const std::string cap = scalar_field(t, obj, "max_connections");
    return std::to_string(
        cap == "null" ? 8
                      : std::min<unsigned long long>(8, std::strtoull(cap.c_str(), nullptr, 10)));
  }
  if (rule == "=max_connections") {
    if (managed) return std::to_string(num("workers"));
    return scalar_field(t, obj, "keepalive") == "true" ? std::to_string(num("pool_max_idle"))
                                                       : "null";
  }
  if (rule == "=start_servers" && scalar_field(t, obj, "process_manager") == "\"dynamic\"") {
    const auto lo = num("min_spare_servers"), hi = num("max_spare_servers");
    return std::to_string(std::clamp((lo + hi) / 2, std::min(lo, hi), std::max(lo, hi)));
  }
  return "";  // not derivable from this table (e.g. vhost TLS): never marked as default
}

bool is_default_value(const std::string& json, const flatbuffers::Table& t,
                      const reflection::Object& obj, const reflection::Field& f) {
  const KeyInfo* key = find_key(short_name(obj), f.name()->string_view());
  if (key == nullptr) return false;
  if (key->default_json.empty()) return json == "null" || json == "[]" || json == "{}";
  if (key->default_json.front() == '=') return computed_default(key->default_json, t, obj) == json;
  return key->default_json == json;
}

class Walker {
 public:
  std::vector<EffectiveEntry> out;

  void table(const reflection::Object& obj, const flatbuffers::Table& t, const std::string& path) {
    for (const auto* f : visible_fields(obj)) {
      const std::string p = path.empty() ? f->name()->str() : path + "." + f->name()->str();
      const BaseType bt = f->type()->base_type();
      if (bt == BaseType::Obj && !has_attribute(*f, "expr")) {
        if (const auto* sub = flatbuffers::GetFieldT(t, *f)) table(field_object(*f), *sub, p);
        continue;
      }
      if (bt == BaseType::Vector && has_attribute(*f, "keyed")) {
        keyed(obj, t, *f, p);
        continue;
      }
      leaf(obj, t, *f, p);
    }
  }

 private:
  void leaf(const reflection::Object& obj, const flatbuffers::Table& t, const reflection::Field& f,
            const std::string& p) {
    std::string json = field_json(t, f);
    // fxs.fbs: Process.threads 0 means "auto" (config-reference.md §1.2).
    if (short_name(obj) == "Process" && f.name()->string_view() == "threads" && json == "0")
      json = "\"auto\"";
    out.push_back({p, json, is_default_value(json, t, obj, f)});
  }

  // vhosts["a"] / routes["b"]; routes in match order (config-reference.md §7.4).
  void keyed(const reflection::Object& parent, const flatbuffers::Table& t,
             const reflection::Field& f, const std::string& path) {
    const auto* vec = flatbuffers::GetFieldAnyV(t, f);
    if (vec == nullptr) return;
    const reflection::Object& elem = field_object(f);
    for (const auto i : order(parent, t, vec->size())) {
      const auto* item = flatbuffers::GetAnyVectorElemPointer<const flatbuffers::Table>(vec, i);
      table(elem, *item, path + "[" + json_quote(element_name(*item, elem)) + "]");
    }
  }

  static std::vector<flatbuffers::uoffset_t> order(const reflection::Object& parent,
                                                   const flatbuffers::Table& t,
                                                   flatbuffers::uoffset_t n) {
    std::vector<flatbuffers::uoffset_t> idx;
    if (short_name(parent) != "Vhost") {
      for (flatbuffers::uoffset_t i = 0; i < n; ++i) idx.push_back(i);
      return idx;
    }
    const auto& vh = reinterpret_cast<const fxs::Vhost&>(t);
    for (const auto* list : {vh.exact_routes(), vh.prefix_routes(), vh.regex_routes()}) {
      if (list != nullptr) idx.insert(idx.end(), list->begin(), list->end());
    }
    if (vh.fallback_route() >= 0)
      idx.push_back(static_cast<flatbuffers::uoffset_t>(vh.fallback_route()));
    return idx;
  }
};

}  // namespace

std::vector<EffectiveEntry> effective_config(const fxs::Snapshot& snapshot) {
  Walker w;
  if (snapshot.config() != nullptr) {
    w.table(schema_object("flux.fxs.Config"),
            *reinterpret_cast<const flatbuffers::Table*>(snapshot.config()), "");
  }
  return std::move(w.out);
}

}  // namespace flux::snapshot
