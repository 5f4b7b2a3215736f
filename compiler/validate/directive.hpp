#pragma once
// The compiler's view of the directive table (snapshot/directives.def): the shared columns plus
// the value kind and generic facets that drive validation, `fluxc schema` and the docs.

#include <cstdint>
#include <span>
#include <string_view>

#include "compiler/diag/diagnostic.hpp"
#include "snapshot/directive_table.hpp"

namespace flux::compiler {

using snapshot::ReloadClass;

enum class TableType : std::uint8_t {
  None,
#define FX_TABLE(type, prefix, doc) type,
#define FX_KEY(type, key, kind, def, cls, facets, doc)
#include "snapshot/directives.def"
#undef FX_KEY
#undef FX_TABLE
};

enum class ValueKind : std::uint8_t {
  Bool,
  U8,
  U16,
  U32,
  U64,
  I32,
  Secs,      // required timeout, 1..=86400 (config-reference.md §0.2)
  OptSecs,   // optional timeout, same range when present
  ByteSize,  // integer or "<digits>[ ]<unit>", binary units
  Path,
  Str,
  Enum,
  HeaderName,
  HeaderValue,
  HostPort,
  SocketAddr,
  Template,
  Predicate,
  StrList,
  U16List,
  HeaderList,
  HostPortList,
  SocketAddrList,
  Table,
  TableArray,
  MapStr,
  MapTemplate,
  MapTemplates,
  MapU32,
  Threads,  // usize or "auto"
};

// Generic constraints; everything else is a rule function (rules_*.cpp).
struct Facets {
  TableType sub = TableType::None;  // Table / TableArray element type
  std::int64_t min = 0;             // with max: inclusive range (strings: byte length)
  std::uint64_t max = 0;            // min == max == 0: no range
  std::uint32_t max_items = 0;      // lists, arrays and maps; 0 = unbounded
  std::string_view values;          // "a|b|c": enum strings, allowed integers, or list items
  Code code = Code::FX0105;         // code for range / count violations
  std::string_view msg;             // reason text for range / count violations
};

struct Directive {
  TableType table;
  std::string_view key;
  ValueKind kind;
  std::string_view default_json;  // "" none, "=rule" computed (defaults.cpp)
  ReloadClass reload;
  Facets facets;
  std::string_view doc;
};

struct TableInfo {
  TableType type;
  std::string_view name;    // fxs.fbs table name
  std::string_view prefix;  // short field prefix for reason texts ("php.fpm")
  std::string_view doc;
  std::span<const Directive> keys;
};

const TableInfo& table_info(TableType t);
std::span<const TableInfo> all_tables();
const Directive* find_directive(TableType t, std::string_view key);
bool is_list(ValueKind k);
bool is_map(ValueKind k);
std::string_view kind_description(ValueKind k);  // "integer", "list of strings", ...

}  // namespace flux::compiler
