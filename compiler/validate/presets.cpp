#include "compiler/validate/presets.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "compiler/parse/toml_reader.hpp"
#include "compiler/validate/defaults.hpp"
#include "presets/embedded_presets.hpp"

namespace flux::compiler {
namespace {

using Kind = SyntaxNode::Kind;

// Parsed once; the embedded fragments are part of fluxc and known to be valid TOML.
const SyntaxNode* fragment(std::string_view name) {
  static const auto parsed = [] {
    std::map<std::string, SyntaxNode, std::less<>> out;
    SourceManager sm;
    DiagEngine diags;
    for (const auto& p : presets::all()) {
      const FileId id = sm.add("preset:" + std::string(p.name), std::string(p.text));
      if (auto tree = read_toml(sm, id, diags)) out.emplace(std::string(p.name), std::move(*tree));
    }
    return out;
  }();
  const auto it = parsed.find(name);
  return it == parsed.end() ? nullptr : &it->second;
}

void mark(SyntaxNode& n, const SyntaxNode& preset_value, std::string_view name) {
  n.preset = name;
  n.range = preset_value.range;
  n.key_range = preset_value.key_range;
  for (auto& c : n.children) mark(c, preset_value, name);
}

bool same_scalar(const SyntaxNode& a, const SyntaxNode& b) {
  return a.kind == b.kind && a.str == b.str && a.integer == b.integer && a.boolean == b.boolean;
}

// Does the user's node still hold the directive's default (so the preset may replace it)?
bool is_default_value(TableType type, const SyntaxNode& user) {
  const Directive* d = find_directive(type, user.key);
  if (d == nullptr || d->default_json.empty() || d->default_json.front() == '=') return false;
  const ir::Value def = parse_default(*d, {});
  if (user.kind == Kind::String) return def.kind == ir::Value::Kind::Str && def.str == user.str;
  if (user.kind == Kind::Bool)
    return def.kind == ir::Value::Kind::Bool && def.boolean == user.boolean;
  return false;
}

void merge(TableType type, SyntaxNode& target, const SyntaxNode& frag,
           const SyntaxNode& preset_value, std::string_view name) {
  for (const SyntaxNode& p : frag.children) {
    SyntaxNode addition = p;
    mark(addition, preset_value, name);
    addition.key = p.key;
    auto it = std::find_if(target.children.begin(), target.children.end(),
                           [&](const SyntaxNode& c) { return c.key == p.key; });
    if (it == target.children.end()) {
      target.children.push_back(std::move(addition));
    } else if (p.kind == Kind::Array && it->kind == Kind::Array) {
      for (auto& item : addition.children) {
        const bool dup = std::any_of(it->children.begin(), it->children.end(),
                                     [&](const SyntaxNode& c) { return same_scalar(c, item); });
        if (!dup) it->children.push_back(std::move(item));
      }
    } else if (p.kind != Kind::Table && is_default_value(type, *it)) {
      *it = std::move(addition);
    }
  }
}

}  // namespace

const SyntaxNode& expand_presets(Context& /*ctx*/, TableType type, const SyntaxNode& raw,
                                 const std::string& /*path*/, SyntaxNode& storage) {
  if (type != TableType::Php && type != TableType::Cache) return raw;
  const SyntaxNode* preset = raw.find("preset");
  if (preset == nullptr || preset->kind != Kind::String || preset->str == "none") return raw;
  const std::string frag_name = (type == TableType::Php ? "php-" : "cache-") + preset->str;
  const SyntaxNode* frag = fragment(frag_name);
  if (frag == nullptr) return raw;  // the enum check reports the unknown preset
  // The name must outlive the IR: take it from the static embedded table.
  std::string_view name;
  for (const auto& p : presets::all()) {
    if (p.name == frag_name) name = p.name.substr(p.name.find('-') + 1);
  }
  storage = raw;
  merge(type, storage, *frag, *preset, name);
  return storage;
}

}  // namespace flux::compiler
