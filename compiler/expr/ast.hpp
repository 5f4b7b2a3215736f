#pragma once
// Our own AST of an expression (expressions.md §2), built from the ANTLR parse tree by
// parse_tree.cpp. Every node keeps the byte span of its source for diagnostics.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "snapshot/expr/opcode.hpp"

namespace flux::compiler::expr {

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;  // exclusive
};

// A resolved variable (expressions.md §3).
struct VarRef {
  enum class Kind : std::uint8_t { Simple, Ref };
  Kind kind = Kind::Simple;
  snapshot::expr::Var var = snapshot::expr::Var::Path;            // Kind::Simple
  snapshot::expr::RefKind ref = snapshot::expr::RefKind::Header;  // Kind::Ref
  std::string name;  // Kind::Ref; header names lowercased (§2.1)

  bool is(snapshot::expr::Var v) const { return kind == Kind::Simple && var == v; }
  bool is(snapshot::expr::RefKind r) const { return kind == Kind::Ref && ref == r; }
  bool is_int() const { return is(snapshot::expr::Var::ServerPort); }
  bool optional() const { return kind == Kind::Ref && ref != snapshot::expr::RefKind::RouteRegex; }
  std::string spelling() const;  // canonical form: "path", "header.x-debug", "route.regex.id"
};

enum class NodeKind : std::uint8_t {
  Or,               // kids: 2+ bool operands
  And,              // kids: 2+ bool operands
  Not,              // kids: [operand]
  Compare,          // kids: [left, right]; op
  In,               // kids: [operand, List]
  NotIn,            // kids: [operand, List]
  Exists,           // kids: [Var]
  HasCookiePrefix,  // kids: [Str]
  BoolLit,          // boolean
  Var,              // var
  Str,              // str (decoded)
  Int,              // num
  List,             // kids: literals
};

enum class CmpOp : std::uint8_t { Eq, Ne, Prefix, Suffix, Contains };

struct Node {
  NodeKind kind = NodeKind::BoolLit;
  Span span;
  std::vector<std::uint32_t> kids;  // indices into Ast::nodes
  CmpOp op = CmpOp::Eq;
  VarRef var;
  std::string str;
  std::uint32_t num = 0;
  bool boolean = false;
};

struct Ast {
  std::vector<Node> nodes;
  std::uint32_t root = 0;
  const Node& at(std::uint32_t i) const { return nodes[i]; }
  const Node& kid(const Node& n, std::size_t k) const { return nodes[n.kids[k]]; }
};

// One piece of a template: literal text (escapes already resolved) or a placeholder.
struct TemplatePart {
  bool is_var = false;
  std::string text;  // literal text
  VarRef var;        // placeholder
  Span span;         // the text, or the whole `{…}`
};

// Limits of expressions.md §5.9.
inline constexpr std::size_t kMaxSourceBytes = 4096;
inline constexpr std::size_t kMaxNodes = 256;
inline constexpr std::size_t kMaxDepth = 32;
inline constexpr std::size_t kMaxListItems = 64;
inline constexpr std::size_t kMaxStringLiteral = 1024;
inline constexpr std::size_t kMaxPlaceholders = 32;
inline constexpr std::size_t kMaxNameBytes = 64;           // §2 name: 1..64 bytes
inline constexpr std::size_t kMaxCookiePrefixBytes = 128;  // §4 has_cookie_prefix
inline constexpr std::size_t kLinearSetMax = 8;            // §6: binary search above this

const char* cmp_op_text(CmpOp op);

}  // namespace flux::compiler::expr
