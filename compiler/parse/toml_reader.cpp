#include "compiler/parse/toml_reader.hpp"

#include <toml++/toml.h>
#include <algorithm>

namespace flux::compiler {

std::string_view kind_name(SyntaxNode::Kind k) {
  switch (k) {
    case SyntaxNode::Kind::Table:
      return "table";
    case SyntaxNode::Kind::Array:
      return "array";
    case SyntaxNode::Kind::String:
      return "string";
    case SyntaxNode::Kind::Integer:
      return "integer";
    case SyntaxNode::Kind::Float:
      return "float";
    case SyntaxNode::Kind::Bool:
      return "boolean";
    case SyntaxNode::Kind::DateTime:
      return "datetime";
  }
  return "value";
}

namespace {

class Converter {
 public:
  Converter(const SourceManager& sm, FileId file) : sm_(sm), file_(file) {}

  SourceRange range(const toml::source_region& r) const {
    const std::uint32_t b = sm_.offset_of(file_, r.begin.line, r.begin.column);
    std::uint32_t e = sm_.offset_of(file_, r.end.line, r.end.column);
    if (r.end.line == 0 || e < b) e = b;
    return {file_, b, e};
  }

  SyntaxNode convert(const toml::node& n) const {
    SyntaxNode out;
    out.range = range(n.source());
    if (const auto* t = n.as_table()) {
      out.kind = SyntaxNode::Kind::Table;
      for (auto&& [k, v] : *t) {
        SyntaxNode child = convert(v);
        child.key = std::string(k.str());
        child.key_range = range(k.source());
        out.children.push_back(std::move(child));
      }
      sort_by_position(out.children);
    } else if (const auto* a = n.as_array()) {
      out.kind = SyntaxNode::Kind::Array;
      out.array_of_tables = a->is_array_of_tables() && !a->empty();
      for (auto&& v : *a) out.children.push_back(convert(v));
    } else {
      convert_scalar(n, out);
    }
    return out;
  }

 private:
  static void sort_by_position(std::vector<SyntaxNode>& v) {
    // toml++ keeps keys sorted by name; diagnostics follow file order (cli.md §2 "Ordering").
    std::stable_sort(v.begin(), v.end(), [](const SyntaxNode& a, const SyntaxNode& b) {
      const auto pa = a.key_range.begin, pb = b.key_range.begin;
      return pa != pb ? pa < pb : a.range.begin < b.range.begin;
    });
  }

  static void convert_scalar(const toml::node& n, SyntaxNode& out) {
    if (const auto* s = n.as_string()) {
      out.kind = SyntaxNode::Kind::String;
      out.str = s->get();
    } else if (const auto* i = n.as_integer()) {
      out.kind = SyntaxNode::Kind::Integer;
      out.integer = i->get();
    } else if (const auto* f = n.as_floating_point()) {
      out.kind = SyntaxNode::Kind::Float;
      out.floating = f->get();
    } else if (const auto* b = n.as_boolean()) {
      out.kind = SyntaxNode::Kind::Bool;
      out.boolean = b->get();
    } else {
      out.kind = SyntaxNode::Kind::DateTime;
    }
  }

  const SourceManager& sm_;
  FileId file_;
};

}  // namespace

std::optional<SyntaxNode> read_toml(const SourceManager& sm, FileId file, DiagEngine& diags) {
  const std::string_view text = sm.text(file);
  if (text.size() > kMaxSourceBytes) {
    diags.report(Code::FX0003, "",
                 "file is too large (" + std::to_string(text.size()) + " bytes; the limit is 4MiB)",
                 std::nullopt);
    return std::nullopt;
  }
  Converter conv(sm, file);
  try {
    const toml::table root = toml::parse(text, sm.name(file));
    SyntaxNode tree = conv.convert(root);
    tree.range = {file, 0, 0};
    return tree;
  } catch (const toml::parse_error& e) {
    const std::string_view what = e.description();
    const bool redefinition = what.find("redefine") != std::string_view::npos;
    SourceRange r = conv.range(e.source());
    if (r.end <= r.begin) r.end = std::min<std::uint32_t>(r.begin + 1, text.size());
    diags.report(redefinition ? Code::FX0002 : Code::FX0001, "", std::string(what), r);
    return std::nullopt;
  }
}

}  // namespace flux::compiler
