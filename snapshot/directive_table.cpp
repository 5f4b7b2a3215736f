#include "snapshot/directive_table.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace flux::snapshot {
namespace {

constexpr ReloadClass S = ReloadClass::SnapshotSafe;
constexpr ReloadClass P = ReloadClass::ProcessUpgrade;

// Only the columns the runtime needs; facets and kinds are compiler-only.
constexpr KeyInfo kKeys[] = {
#define FX_TABLE(type, prefix, doc)
#define FX_KEY(type, key, kind, def, cls, facets, doc) {#type, #key, def, cls},
#include "snapshot/directives.def"
#undef FX_KEY
#undef FX_TABLE
};

}  // namespace

std::span<const KeyInfo> directive_keys() { return kKeys; }

const KeyInfo* find_key(std::string_view table, std::string_view key) {
  // Sorted once; the classifier and dump look up every field of every vhost.
  static const std::vector<const KeyInfo*> index = [] {
    std::vector<const KeyInfo*> v;
    for (const auto& k : kKeys) v.push_back(&k);
    std::sort(v.begin(), v.end(), [](const KeyInfo* a, const KeyInfo* b) {
      return std::pair(a->table, a->key) < std::pair(b->table, b->key);
    });
    return v;
  }();
  const auto it = std::lower_bound(
      index.begin(), index.end(), std::pair(table, key),
      [](const KeyInfo* k, const auto& want) { return std::pair(k->table, k->key) < want; });
  return it != index.end() && (*it)->table == table && (*it)->key == key ? *it : nullptr;
}

std::string_view reload_class_name(ReloadClass c) {
  return c == ReloadClass::ProcessUpgrade ? "process-upgrade" : "snapshot-safe";
}

}  // namespace flux::snapshot
