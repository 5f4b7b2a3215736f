#include "snapshot/semantic_check.hpp"

#include <flatbuffers/reflection.h>

#include <string>
#include <string_view>
#include <vector>

#include "snapshot/effective_config.hpp"
#include "snapshot/expr/verifier.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/regex/matcher.hpp"
#include "snapshot/schema_bfbs.hpp"
#include "snapshot/utf8.hpp"

namespace flux::snapshot {
namespace {

Error fail(std::string message) { return make_error(std::move(message)); }

template <typename Vec>
std::size_t size_of(const Vec* v) {
  return v == nullptr ? 0 : v->size();
}

bool template_ok(const fxs::Template* t, std::size_t expr_count) {
  return t == nullptr || t->program() < 0 || static_cast<std::size_t>(t->program()) < expr_count;
}

Result<void> check_route_order(const fxs::Vhost& vh) {
  const std::size_t n = size_of(vh.routes());
  for (const auto* list : {vh.exact_routes(), vh.prefix_routes(), vh.regex_routes()}) {
    if (list == nullptr) continue;
    for (auto idx : *list) {
      if (idx >= n) return fail("vhost `" + vh.name()->str() + "` route index out of range");
    }
  }
  if (vh.fallback_route() >= static_cast<std::int32_t>(n)) {
    return fail("vhost `" + vh.name()->str() + "` fallback route out of range");
  }
  return {};
}

Result<void> check_vhosts(const fxs::Snapshot& s) {
  const auto* vhosts = s.config()->vhosts();
  const std::size_t exprs = size_of(s.exprs());
  const std::size_t regexes = size_of(s.routing()->regexes());
  if (vhosts == nullptr) return {};
  for (const auto* vh : *vhosts) {
    if (vh->name() == nullptr || !is_valid_utf8(vh->name()->string_view())) {
      return fail("vhost without a valid name");
    }
    if (auto r = check_route_order(*vh); !r) return r;
    if (vh->redirect() && !template_ok(vh->redirect()->to(), exprs)) {
      return fail("vhost `" + vh->name()->str() + "` redirect program out of range");
    }
    if (vh->routes() == nullptr) continue;
    for (const auto* route : *vh->routes()) {
      if (route->name() == nullptr) return fail("route without a name");
      if (!template_ok(route->when(), exprs) || !template_ok(route->rewrite_template(), exprs) ||
          (route->redirect() && !template_ok(route->redirect()->to(), exprs))) {
        return fail("route `" + route->name()->str() + "` expression index out of range");
      }
      if (route->regex() >= static_cast<std::int32_t>(regexes)) {
        return fail("route `" + route->name()->str() + "` regex index out of range");
      }
    }
  }
  return {};
}

Result<void> check_routing(const fxs::Snapshot& s) {
  const auto* routing = s.routing();
  const std::size_t n = size_of(s.config()->vhosts());
  if (routing->default_vhost() >= static_cast<std::int32_t>(n)) {
    return fail("default vhost index out of range");
  }
  if (routing->hosts()) {
    for (const auto* e : *routing->hosts()) {
      if (e->vhost() >= n || e->host() == nullptr) return fail("host table entry out of range");
    }
  }
  const std::size_t hosts = size_of(routing->hosts());
  const std::size_t buckets = size_of(routing->host_buckets());
  if (hosts != 0 && (buckets < hosts || (buckets & (buckets - 1)) != 0)) {
    return fail("host hash table has an invalid size");
  }
  if (routing->host_buckets()) {
    for (auto b : *routing->host_buckets()) {
      if (b > hosts) return fail("host hash bucket out of range");
    }
  }
  if (routing->wildcards()) {
    for (const auto* e : *routing->wildcards()) {
      if (e->vhost() >= n || e->suffix() == nullptr) return fail("wildcard entry out of range");
    }
  }
  if (routing->mime()) {
    for (const auto* e : *routing->mime()) {
      if (e->ext() == nullptr || e->type() == nullptr) return fail("MIME entry incomplete");
    }
  }
  return {};
}

// Enum-valued keys are stored as their TOML strings; the runtime maps them once per
// generation, so an unknown value would silently fall back to a default. Refuse it here.
struct EnumField {
  std::string_view table;
  std::string_view field;
  std::string_view values;  // space-separated; "" (unset) is always allowed
};
constexpr EnumField kEnums[] = {
    {"Fpm", "mode", "external managed"},
    {"Fpm", "process_manager", "static dynamic ondemand"},
    {"Php", "try_files", "front-controller wordpress strict"},
    {"Php", "path_info", "disabled split strict"},
    {"Php", "runtime", "php-fpm"},
    {"Php", "preset", "none wordpress laravel symfony drupal mediawiki"},
    {"Php", "stderr_log_level", "error warn info debug"},
    {"RequestHeaders", "x_forwarded_for", "off replace append"},
    {"Logging", "level", "trace debug info warn error off"},
    {"Logging", "format", "json text"},
    {"Logging", "target", "stderr stdout"},
    {"Tls", "backend", "openssl rustls"},
    {"Tls", "min_protocol", "tls1.2 tls1.3"},
    {"Tls", "profile", "intermediate modern"},
    {"Tls", "alpn", "http1"},
    {"Cache", "preset", "none wordpress"},
    {"Server", "proxy_protocol", "off"},
};

// Strings the runtime writes into response headers as they are: no CTL but HTAB (RFC 9110 §5.5).
constexpr std::pair<std::string_view, std::string_view> kHeaderValues[] = {
    {"ResponseHeaders", "strict_transport_security"}, {"ResponseHeaders", "content_security_policy"},
    {"ResponseHeaders", "x_content_type_options"},    {"ResponseHeaders", "x_frame_options"},
    {"ResponseHeaders", "referrer_policy"},           {"Web", "cache_control"},
    {"Web", "expires"},                               {"Respond", "content_type"},
};

bool header_value_safe(std::string_view v) {
  for (unsigned char c : v) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

bool in_list(std::string_view list, std::string_view value) {
  if (value.empty()) return true;
  while (!list.empty()) {
    const auto space = list.find(' ');
    if (list.substr(0, space) == value) return true;
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
  }
  return false;
}

// What to check in one table type, computed once from the reflection schema so the walk over
// a 100,000-vhost snapshot touches only string and table fields.
struct Slot {
  enum class Kind { kString, kStrings, kTable, kTables };
  const reflection::Field* field = nullptr;
  Kind kind = Kind::kString;
  int sub = -1;                        // object index for kTable/kTables
  std::string_view enum_values;        // non-empty for enum-valued strings
  flatbuffers::voffset_t voffset = 0;  // read once from the reflection schema
  bool header_value = false;           // written into a response header verbatim
};
struct Plan {
  std::string name;
  std::vector<Slot> slots;
};

std::vector<Plan> build_plans(const reflection::Schema& schema) {
  std::vector<Plan> plans(schema.objects()->size());
  for (flatbuffers::uoffset_t i = 0; i < schema.objects()->size(); ++i) {
    const auto* obj = schema.objects()->Get(i);
    plans[i].name = short_name(*obj);
    if (obj->is_struct()) continue;
    for (const auto* field : *obj->fields()) {
      const auto base = field->type()->base_type();
      const auto element = field->type()->element();
      const int index = field->type()->index();
      const bool sub_table = index >= 0 && !schema.objects()->Get(static_cast<flatbuffers::uoffset_t>(index))->is_struct();
      Slot slot{field};
      if (base == reflection::String) {
        slot.kind = Slot::Kind::kString;
        for (const EnumField& e : kEnums) {
          if (e.table == plans[i].name && e.field == field->name()->string_view()) slot.enum_values = e.values;
        }
        for (const auto& [table, name] : kHeaderValues) {
          if (table == plans[i].name && name == field->name()->string_view()) slot.header_value = true;
        }
      } else if (base == reflection::Obj && sub_table) {
        slot = {field, Slot::Kind::kTable, index, {}};
      } else if (base == reflection::Vector && element == reflection::String) {
        slot.kind = Slot::Kind::kStrings;
      } else if (base == reflection::Vector && element == reflection::Obj && sub_table) {
        slot = {field, Slot::Kind::kTables, index, {}};
      } else {
        continue;
      }
      slot.voffset = field->offset();
      plans[i].slots.push_back(slot);
    }
  }
  return plans;
}

Error bad_string(const Plan& plan, const Slot& slot) {
  return fail(plan.name + "." + slot.field->name()->str() + " is not valid UTF-8");
}

// Tables already checked, by their 4-byte-aligned offset in the payload: fluxc shares identical
// tables (the default header policies of thousands of vhosts are one table), so each is walked
// once.
struct Visited {
  const std::uint8_t* base = nullptr;
  std::vector<bool> seen;
  bool first_visit(const flatbuffers::Table& t) {
    const auto offset = static_cast<std::size_t>(reinterpret_cast<const std::uint8_t*>(&t) - base) / 4;
    if (offset >= seen.size() || seen[offset]) return false;
    seen[offset] = true;
    return true;
  }
};

// Every string of the payload is UTF-8 and every enum string is known.
Result<void> check_strings(const std::vector<Plan>& plans, int object,
                           const flatbuffers::Table& table, int depth, Visited& visited) {
  if (depth > 64) return fail("nesting too deep");
  if (!visited.first_visit(table)) return {};
  const Plan& plan = plans[static_cast<std::size_t>(object)];
  for (const Slot& slot : plan.slots) {
    switch (slot.kind) {
      case Slot::Kind::kString: {
        const auto* str = table.GetPointer<const flatbuffers::String*>(slot.voffset);
        if (str == nullptr) break;
        if (!is_valid_utf8(str->string_view())) return bad_string(plan, slot);
        if (slot.header_value && !header_value_safe(str->string_view())) {
          return fail(plan.name + "." + slot.field->name()->str() + " contains control characters");
        }
        if (!slot.enum_values.empty() && !in_list(slot.enum_values, str->string_view())) {
          return fail("unknown value `" + str->str() + "` for " + plan.name + "." +
                      slot.field->name()->str());
        }
        break;
      }
      case Slot::Kind::kStrings: {
        const auto* vec =
            table.GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>*>(slot.voffset);
        if (vec == nullptr) break;
        for (const auto* str : *vec) {
          if (!is_valid_utf8(str->string_view())) return bad_string(plan, slot);
        }
        break;
      }
      case Slot::Kind::kTable:
        if (const auto* child = table.GetPointer<const flatbuffers::Table*>(slot.voffset)) {
          if (auto r = check_strings(plans, slot.sub, *child, depth + 1, visited); !r) return r;
        }
        break;
      case Slot::Kind::kTables: {
        const auto* vec =
            table.GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::Table>>*>(slot.voffset);
        if (vec == nullptr) break;
        for (const auto* child : *vec) {
          if (auto r = check_strings(plans, slot.sub, *child, depth + 1, visited); !r) return r;
        }
        break;
      }
    }
  }
  return {};
}

// expressions.md §6 and §8: every program passes its static verifier before anything runs it.
Result<void> check_programs(const fxs::Snapshot& s) {
  if (const auto* exprs = s.exprs()) {
    for (flatbuffers::uoffset_t i = 0; i < exprs->size(); ++i) {
      if (auto r = expr::verify_program(*exprs->Get(i)); !r) {
        return fail("expression program " + std::to_string(i) + ": " + r.error().message);
      }
    }
  }
  if (const auto* regexes = s.routing()->regexes()) {
    for (flatbuffers::uoffset_t i = 0; i < regexes->size(); ++i) {
      const auto* program = regexes->Get(i);
      if (program->code() == nullptr) return fail("regex program " + std::to_string(i) + " is empty");
      const std::span<const std::uint32_t> code(program->code()->data(), program->code()->size());
      const std::size_t groups = program->group_names() ? program->group_names()->size() : 0;
      if (auto r = regex::verify_regex_program(code, groups); !r) {
        return fail("regex program " + std::to_string(i) + ": " + r.error().message);
      }
    }
  }
  return {};
}

}  // namespace

Result<void> check_semantics(const fxs::Snapshot& s, std::span<const std::uint8_t> payload) {
  if (s.config() == nullptr || s.routing() == nullptr) return fail("missing config or routing");
  if (s.config()->server() == nullptr) return fail("missing [server]");
  if (auto r = check_routing(s); !r) return r;
  if (auto r = check_vhosts(s); !r) return r;
  if (auto r = check_programs(s); !r) return r;
  static const std::vector<Plan> plans = build_plans(schema());
  static const int root = [] {
    const reflection::Schema& sch = schema();
    for (flatbuffers::uoffset_t i = 0; i < sch.objects()->size(); ++i) {
      if (sch.objects()->Get(i) == sch.root_table()) return static_cast<int>(i);
    }
    return 0;
  }();
  Visited visited{payload.data(), std::vector<bool>(payload.size() / 4 + 1)};
  return check_strings(plans, root, *reinterpret_cast<const flatbuffers::Table*>(&s), 0, visited);
}

}  // namespace flux::snapshot
