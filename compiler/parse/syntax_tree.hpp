#pragma once
// Our own syntax tree of a TOML document: every node carries byte ranges for its key and value,
// so toml++ types never leave parse/ (style.md "Avoid": library types leaking across folders).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source_manager.hpp"

namespace flux::compiler {

struct SyntaxNode {
  enum class Kind : std::uint8_t { Table, Array, String, Integer, Float, Bool, DateTime };

  Kind kind = Kind::Table;
  SourceRange range;      // the value; for a [table] its header, for [[x]] its header
  SourceRange key_range;  // the key that holds this node (empty for array items and the root)
  std::string key;
  std::string str;
  std::int64_t integer = 0;
  double floating = 0;
  bool boolean = false;
  bool array_of_tables = false;
  std::string_view preset;           // non-empty when the node was added by a preset fragment
  std::vector<SyntaxNode> children;  // table entries in file order, or array items

  const SyntaxNode* find(std::string_view k) const {
    for (const auto& c : children) {
      if (c.key == k) return &c;
    }
    return nullptr;
  }
  bool is_table() const { return kind == Kind::Table; }
};

// "string", "integer", "table", ... for FX0101 messages.
std::string_view kind_name(SyntaxNode::Kind k);

}  // namespace flux::compiler
