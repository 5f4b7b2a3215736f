#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "compiler/validate/directive.hpp"

namespace flux::compiler {
namespace {

using enum TableType;
using enum Code;
constexpr ReloadClass S = ReloadClass::SnapshotSafe;
constexpr ReloadClass P = ReloadClass::ProcessUpgrade;

#define FX_UNPAREN(...) __VA_ARGS__

constexpr Directive kDirectives[] = {
#define FX_TABLE(type, prefix, doc)
#define FX_KEY(type, key, kind, def, cls, facets, doc) \
  {type, #key, ValueKind::kind, def, cls, Facets{FX_UNPAREN facets}, doc},
#include "snapshot/directives.def"
#undef FX_KEY
#undef FX_TABLE
};

struct TableRow {
  TableType type;
  std::string_view name, prefix, doc;
};
constexpr TableRow kTables[] = {
#define FX_TABLE(type, prefix, doc) {type, #type, prefix, doc},
#define FX_KEY(type, key, kind, def, cls, facets, doc)
#include "snapshot/directives.def"
#undef FX_KEY
#undef FX_TABLE
};

std::vector<TableInfo> build_tables() {
  std::vector<TableInfo> out(std::size(kTables) + 1);
  out[0] = {None, "", "", "", {}};
  for (const auto& row : kTables) {
    const auto first = std::find_if(std::begin(kDirectives), std::end(kDirectives),
                                    [&](const Directive& d) { return d.table == row.type; });
    const auto last = std::find_if(first, std::end(kDirectives),
                                   [&](const Directive& d) { return d.table != row.type; });
    out[static_cast<std::size_t>(row.type)] = {row.type, row.name, row.prefix, row.doc,
                                               std::span<const Directive>(first, last)};
  }
  return out;
}

const std::vector<TableInfo>& tables() {
  static const std::vector<TableInfo> t = build_tables();
  return t;
}

}  // namespace

const TableInfo& table_info(TableType t) { return tables()[static_cast<std::size_t>(t)]; }

std::span<const TableInfo> all_tables() { return std::span(tables()).subspan(1); }

const Directive* find_directive(TableType t, std::string_view key) {
  for (const auto& d : table_info(t).keys) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

bool is_list(ValueKind k) {
  switch (k) {
    case ValueKind::StrList:
    case ValueKind::U16List:
    case ValueKind::HeaderList:
    case ValueKind::HostPortList:
    case ValueKind::SocketAddrList:
      return true;
    default:
      return false;
  }
}

bool is_map(ValueKind k) {
  return k == ValueKind::MapStr || k == ValueKind::MapTemplate || k == ValueKind::MapTemplates ||
         k == ValueKind::MapU32;
}

std::string_view kind_description(ValueKind k) {
  switch (k) {
    case ValueKind::Bool:
      return "boolean";
    case ValueKind::U8:
    case ValueKind::U16:
    case ValueKind::U32:
    case ValueKind::U64:
    case ValueKind::I32:
    case ValueKind::Secs:
    case ValueKind::OptSecs:
      return "integer";
    case ValueKind::ByteSize:
      return "byte size";
    case ValueKind::Threads:
      return "integer or \"auto\"";
    case ValueKind::Table:
      return "table";
    case ValueKind::TableArray:
      return "array of tables";
    case ValueKind::MapStr:
    case ValueKind::MapTemplate:
    case ValueKind::MapTemplates:
    case ValueKind::MapU32:
      return "table";
    case ValueKind::U16List:
      return "array of integers";
    case ValueKind::StrList:
    case ValueKind::HeaderList:
    case ValueKind::HostPortList:
    case ValueKind::SocketAddrList:
      return "array of strings";
    default:
      return "string";
  }
}

}  // namespace flux::compiler
