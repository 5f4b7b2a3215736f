#include "compiler/validate/walker.hpp"

#include <string>
#include <vector>

#include "compiler/validate/compat.hpp"
#include "compiler/validate/convert.hpp"
#include "compiler/validate/defaults.hpp"
#include "compiler/validate/did_you_mean.hpp"
#include "compiler/validate/presets.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

using Kind = SyntaxNode::Kind;

void report_unknown(Context& ctx, TableType type, const SyntaxNode& child,
                    const std::string& path) {
  const std::string key_path = join_path(path, child.key);
  const bool is_table = child.kind == Kind::Table || child.array_of_tables;
  const std::string where = path.empty() ? "the root table" : "[" + table_display(path) + "]";
  std::vector<std::string_view> names;
  for (const auto& d : table_info(type).keys) names.push_back(d.key);
  Diagnostic& d = ctx.report_at(
      is_table ? Code::FX0201 : Code::FX0203, key_path,
      std::string(is_table ? "unknown table `" : "unknown key `") + child.key + "` in " + where,
      child.key_range);
  if (auto best = did_you_mean(child.key, names)) {
    add_help(d, "did you mean `" + std::string(*best) + "`?");
  }
  std::string list;
  for (const auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
  add_note(d, "valid keys: " + list);
}

// Returns true when the key was handled as a compatibility key.
bool handle_compat(Context& ctx, TableType type, const SyntaxNode& child, const std::string& path) {
  const CompatKey* c = find_compat(type, child.key);
  if (c == nullptr) return false;
  const std::string key_path = join_path(path, child.key);
  std::string text;
  if (child.kind == Kind::String)
    text = "\"" + child.str + "\"";
  else if (child.kind == Kind::Integer)
    text = std::to_string(child.integer);
  else if (child.kind == Kind::Bool)
    text = child.boolean ? "true" : "false";
  if (c->accepted != "*" && text != c->accepted) {
    add_note(ctx.report_at(Code::FX0204, key_path,
                           "`" + table_display(key_path) + " = " + (text.empty() ? "…" : text) +
                               "` is not supported by this build",
                           child.range),
             c->key == "daemon"
                 ? "daemonizing is not supported by this build; run under a supervisor"
                 : "only the original default " + std::string(c->accepted) + " is accepted");
  } else if (c->warn) {
    ctx.report_at(Code::FX0907, key_path,
                  "`" + table_display(key_path) + "` is ignored by this build", child.key_range);
  }
  return true;
}

std::optional<ir::Value> convert_child(Context& ctx, TableType type, const Directive& d,
                                       const SyntaxNode& child, const std::string& key_path) {
  const KeyRef k{ctx, type, d, child, key_path};
  switch (d.kind) {
    case ValueKind::Table:
      if (child.kind != Kind::Table) {
        ctx.report(Code::FX0101, key_path,
                   "expected table, found " + std::string(kind_name(child.kind)), origin_of(child));
        return std::nullopt;
      }
      return walk_table(ctx, d.facets.sub, child, key_path);
    case ValueKind::TableArray: {
      if (child.kind != Kind::Array || (!child.children.empty() && !child.array_of_tables)) {
        ctx.report(Code::FX0101, key_path,
                   "expected array of tables, found " + std::string(kind_name(child.kind)),
                   origin_of(child));
        return std::nullopt;
      }
      if (d.facets.max_items != 0 && child.children.size() > d.facets.max_items) {
        ctx.report(d.facets.code, key_path,
                   field_name(type, d.key) + ": " + std::string(d.facets.msg), origin_of(child));
        return std::nullopt;
      }
      ir::Value list = ir::Value::list(origin_of(child));
      for (std::size_t i = 0; i < child.children.size(); ++i) {
        list.items.push_back(
            walk_table(ctx, d.facets.sub, child.children[i], index_path(key_path, i)));
      }
      return list;
    }
    default:
      if (is_list(d.kind)) return convert_list(k);
      if (is_map(d.kind)) return convert_map(k);
      return convert_scalar(k);
  }
}

// An alias merges into its canonical key (lists appended, maps merged; a header named in both
// `set` and `add` is FX0205, config-reference.md §4.1).
void merge_alias(TableCtx& t, const Directive& d, ir::Value v) {
  ir::Value* existing = t.table.get(d.key);
  if (existing == nullptr) {
    t.table.set(d.key, std::move(v));
    return;
  }
  if (existing->kind == ir::Value::Kind::List) {
    for (auto& item : v.items) existing->items.push_back(std::move(item));
    return;
  }
  for (auto& [name, value] : v.fields) {
    if (existing->get(name) != nullptr) {
      t.ctx.report(Code::FX0205, join_path(t.key_path(d.key), name),
                   "header `" + name + "` is set twice", value.origin);
      continue;
    }
    existing->set(name, std::move(value));
  }
}

void convert_entries(TableCtx& t, const SyntaxNode& node) {
  for (const SyntaxNode& child : node.children) {
    const std::string key_path = join_path(t.path, child.key);
    if (auto note = unsupported_note(t.type, child.key)) {
      add_note(t.ctx.report_at(Code::FX0204, key_path,
                               "`" + table_display(key_path) + "` is not supported by this build",
                               child.key_range),
               std::string(*note));
      continue;
    }
    if (handle_compat(t.ctx, t.type, child, t.path)) continue;
    const Alias* alias = find_alias(t.type, child.key);
    const Directive* d = find_directive(t.type, alias ? alias->canonical : child.key);
    if (d == nullptr) {
      report_unknown(t.ctx, t.type, child, t.path);
      continue;
    }
    if (alias != nullptr && alias->deprecated) {
      t.ctx.report_at(Code::FX0903, key_path,
                      "deprecated alias; write `" + std::string(alias->canonical) + "`",
                      child.key_range);
    }
    auto v = convert_child(t.ctx, t.type, *d, child, key_path);
    if (!v) {
      t.failed.emplace(d->key);
      continue;
    }
    merge_alias(t, *d, std::move(*v));
  }
}

ir::Value finish_table(Context& ctx, TableType type, ir::Value table, const std::string& path,
                       std::set<std::string, std::less<>> failed) {
  TableCtx t{ctx, type, table, path, std::move(failed)};
  fill_static_defaults(t);
  computed_defaults(t);
  if (ctx.options().host_checks && !ctx.lenient()) host_path_checks(t);
  if (!ctx.lenient() || type == TableType::Php) run_rules(t);  // rules_php checks `enabled`
  return table;
}

// config-reference.md §8: a PHP block is validated only when `enabled = true` (a route-level
// disabled block is still refused by rules_route, FX0405).
bool disabled_php(TableType type, const SyntaxNode& node) {
  if (type != TableType::Php) return false;
  const SyntaxNode* enabled = node.find("enabled");
  return enabled == nullptr || enabled->kind != SyntaxNode::Kind::Bool || !enabled->boolean;
}

}  // namespace

ir::Value walk_table(Context& ctx, TableType type, const SyntaxNode& raw, const std::string& path) {
  SyntaxNode expanded;
  const SyntaxNode& node = expand_presets(ctx, type, raw, path, expanded);
  ir::Value table = ir::Value::table(origin_of(node));
  table.fields.reserve(table_info(type).keys.size() + 4);  // + derived fields (route order)
  TableCtx t{ctx, type, table, path, {}};
  const bool lenient = disabled_php(type, node);
  if (lenient) ctx.enter_lenient();
  convert_entries(t, node);
  ir::Value out = finish_table(ctx, type, std::move(table), path, std::move(t.failed));
  if (lenient) ctx.leave_lenient();
  return out;
}

ir::Value default_table(Context& ctx, TableType type, const ir::Origin& parent,
                        const std::string& path) {
  ir::Origin o = parent;
  o.defaulted = true;
  return finish_table(ctx, type, ir::Value::table(o), path, {});
}

}  // namespace flux::compiler
