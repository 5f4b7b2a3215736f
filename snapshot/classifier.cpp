#include "snapshot/classifier.hpp"

#include <flatbuffers/reflection.h>

#include <map>

#include "snapshot/effective_config.hpp"

namespace flux::snapshot {
namespace {

using reflection::BaseType;
using Table = flatbuffers::Table;

const Table* sub_table(const Table& t, const reflection::Object& obj, const char* name) {
  const auto* f = obj.fields()->LookupByKey(name);
  return f != nullptr ? flatbuffers::GetFieldT(t, *f) : nullptr;
}

std::string str_field(const Table* t, const reflection::Object& obj, const char* name) {
  const auto* f = obj.fields()->LookupByKey(name);
  return t != nullptr && f != nullptr ? field_json(*t, *f) : "null";
}

// An enabled PHP block with fpm.mode = "managed" owns a php-fpm master (php-behaviour.md §14):
// adding, removing, enabling or disabling it, or renaming its owner, is process-upgrade (§0.4).
bool managed_php(const Table* php) {
  if (php == nullptr) return false;
  const auto& php_obj = schema_object("flux.fxs.Php");
  if (str_field(php, php_obj, "enabled") != "true") return false;
  const Table* fpm = sub_table(*php, php_obj, "fpm");
  return str_field(fpm, schema_object("flux.fxs.Fpm"), "mode") == "\"managed\"";
}

// Does a vhost or route table own a managed pool (itself or, for a vhost, one of its routes)?
bool owns_managed_pool(const reflection::Object& obj, const Table& t) {
  if (managed_php(sub_table(t, obj, "php"))) return true;
  const auto* routes_f = obj.fields()->LookupByKey("routes");
  const auto* routes = routes_f != nullptr ? flatbuffers::GetFieldAnyV(t, *routes_f) : nullptr;
  for (flatbuffers::uoffset_t i = 0; routes != nullptr && i < routes->size(); ++i) {
    if (owns_managed_pool(field_object(*routes_f),
                          *flatbuffers::GetAnyVectorElemPointer<const Table>(routes, i)))
      return true;
  }
  return false;
}

class Differ {
 public:
  Classification out;

  void table(const reflection::Object& obj, const Table& a, const Table& b,
             const std::string& path) {
    const bool managed_php_here = short_name(obj) == "Php" && (managed_php(&a) || managed_php(&b));
    for (const auto* f : visible_fields(obj)) {
      const std::string p = path.empty() ? f->name()->str() : path + "." + f->name()->str();
      const BaseType bt = f->type()->base_type();
      if (bt == BaseType::Vector && has_attribute(*f, "keyed")) {
        keyed(*f, a, b, p);
      } else if (bt == BaseType::Obj && !has_attribute(*f, "expr")) {
        sub(obj, *f, a, b, p);
      } else {
        leaf(obj, *f, a, b, p, managed_php_here);
      }
    }
  }

 private:
  void add(char op, std::string path, std::string old_json, std::string new_json, ReloadClass c,
           std::string note = {}) {
    (c == ReloadClass::ProcessUpgrade ? out.process_upgrade : out.snapshot_safe) += 1;
    out.changes.push_back(
        {op, std::move(path), std::move(old_json), std::move(new_json), c, std::move(note)});
  }

  static ReloadClass class_of(const reflection::Object& obj, const reflection::Field& f) {
    const KeyInfo* k = find_key(short_name(obj), f.name()->string_view());
    return k != nullptr ? k->reload : ReloadClass::SnapshotSafe;
  }

  void leaf(const reflection::Object& obj, const reflection::Field& f, const Table& a,
            const Table& b, const std::string& p, bool managed_php_here) {
    std::string x = field_json(a, f), y = field_json(b, f);
    if (x == y) return;
    ReloadClass c = class_of(obj, f);
    // Enabling/disabling a managed block starts/stops a master; allowed_extensions is rendered
    // into the master's security.limit_extensions (php-behaviour.md §14.2).
    const std::string_view name = f.name()->string_view();
    if (managed_php_here && (name == "enabled" || name == "allowed_extensions"))
      c = ReloadClass::ProcessUpgrade;
    add('~', p, std::move(x), std::move(y), c);
  }

  void sub(const reflection::Object& obj, const reflection::Field& f, const Table& a,
           const Table& b, const std::string& p) {
    const Table* x = flatbuffers::GetFieldT(a, f);
    const Table* y = flatbuffers::GetFieldT(b, f);
    const reflection::Object& sobj = field_object(f);
    if (x != nullptr && y != nullptr) return table(sobj, *x, *y, p);
    if (x == nullptr && y == nullptr) return;
    const bool managed = short_name(sobj) == "Php" && managed_php(x != nullptr ? x : y);
    const ReloadClass c = managed ? ReloadClass::ProcessUpgrade : class_of(obj, f);
    add(x != nullptr ? '-' : '+', p, x != nullptr ? table_json(sobj, *x) : "null",
        y != nullptr ? table_json(sobj, *y) : "null", c, managed ? "managed pool" : "");
  }

  // cli.md §5: vhosts matched by name, routes by name within the vhost; a reorder is one change.
  void keyed(const reflection::Field& f, const Table& a, const Table& b, const std::string& path) {
    const reflection::Object& elem = field_object(f);
    const auto index = [&](const Table& t) {
      std::vector<std::pair<std::string, const Table*>> v;
      const auto* vec = flatbuffers::GetFieldAnyV(t, f);
      for (flatbuffers::uoffset_t i = 0; vec != nullptr && i < vec->size(); ++i) {
        const auto* item = flatbuffers::GetAnyVectorElemPointer<const Table>(vec, i);
        v.emplace_back(element_name(*item, elem), item);
      }
      return v;
    };
    const auto xs = index(a), ys = index(b);
    std::map<std::string, const Table*> ymap(ys.begin(), ys.end()), xmap(xs.begin(), xs.end());
    std::vector<std::string> common_x, common_y;
    for (const auto& [name, x] : xs) {
      const std::string p = path + "[" + json_quote(name) + "]";
      auto it = ymap.find(name);
      if (it == ymap.end()) {
        removed_or_added('-', elem, *x, p);
        continue;
      }
      common_x.push_back(name);
      table(elem, *x, *it->second, p);
    }
    for (const auto& [name, y] : ys) {
      if (!xmap.contains(name))
        removed_or_added('+', elem, *y, path + "[" + json_quote(name) + "]");
      else
        common_y.push_back(name);
    }
    if (common_x != common_y) {
      add('~', path, "null", "null", ReloadClass::SnapshotSafe, "reordered " + f.name()->str());
    }
  }

  void removed_or_added(char op, const reflection::Object& elem, const Table& t,
                        const std::string& p) {
    const bool managed = owns_managed_pool(elem, t);
    const std::string json = table_json(elem, t);
    add(op, p, op == '-' ? json : "null", op == '+' ? json : "null",
        managed ? ReloadClass::ProcessUpgrade : ReloadClass::SnapshotSafe,
        managed ? "managed pool" : "");
  }
};

}  // namespace

Classification classify(const fxs::Snapshot& old_snapshot, const fxs::Snapshot& new_snapshot) {
  Differ d;
  const auto* a = reinterpret_cast<const Table*>(&old_snapshot);
  const auto* b = reinterpret_cast<const Table*>(&new_snapshot);
  const auto& snap = schema_object("flux.fxs.Snapshot");
  const Table* ca = sub_table(*a, snap, "config");
  const Table* cb = sub_table(*b, snap, "config");
  if (ca != nullptr && cb != nullptr) d.table(schema_object("flux.fxs.Config"), *ca, *cb, "");
  Classification out = std::move(d.out);
  out.result = out.process_upgrade > 0 ? DiffResult::ProcessUpgrade
               : out.snapshot_safe > 0 ? DiffResult::SnapshotSafe
                                       : DiffResult::None;
  return out;
}

std::string_view diff_result_name(DiffResult r) {
  switch (r) {
    case DiffResult::None:
      return "none";
    case DiffResult::SnapshotSafe:
      return "snapshot-safe";
    case DiffResult::ProcessUpgrade:
      return "process-upgrade";
  }
  return "none";
}

}  // namespace flux::snapshot
