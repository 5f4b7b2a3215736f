#include "compiler/expr/variables.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace flux::compiler::expr {
namespace {

using snapshot::expr::RefKind;
using snapshot::expr::Var;

struct SimpleName {
  std::string_view name;
  Var var;
};
constexpr std::array<SimpleName, 8> kSimple{{{"scheme", Var::Scheme},
                                             {"host", Var::Host},
                                             {"method", Var::Method},
                                             {"uri", Var::Uri},
                                             {"path", Var::Path},
                                             {"query", Var::Query},
                                             {"remote_addr", Var::RemoteAddr},
                                             {"server_port", Var::ServerPort}}};
constexpr std::array<std::string_view, 8> kSimpleNames{
    "scheme", "host", "method", "uri", "path", "query", "remote_addr", "server_port"};
constexpr std::array<std::string_view, 4> kPrefixes{"header", "cookie", "arg", "route"};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

bool is_ident(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void report_unknown(std::string_view word, Span span, Diags& diags) {
  const auto dot = word.find('.');
  if (dot == std::string_view::npos) {
    auto& d = diags.error("FX0803", "unknown variable " + quoted(word), span);
    if (auto s = closest(word, kSimpleNames)) {
      d.helps.push_back("did you mean " + quoted(*s) + "?");
    } else if (auto p = closest(word, kPrefixes)) {
      d.helps.push_back("write " + std::string(*p) + ".NAME");
    }
    return;
  }
  // Point at the misspelled prefix (expressions.md §10 #3: span `heder`).
  const std::string_view prefix = word.substr(0, dot);
  const bool known_prefix =
      std::find(kPrefixes.begin(), kPrefixes.end(), prefix) != kPrefixes.end();
  const Span where = known_prefix ? span : Span{span.begin, span.begin + dot};
  auto& d = diags.error("FX0803", "unknown variable " + quoted(word), where);
  if (prefix == "route") {
    d.helps.push_back("write route.regex.NAME");
  } else if (known_prefix) {
    d.helps.push_back("write " + std::string(prefix) + ".NAME");
  } else if (auto p = closest(prefix, kPrefixes)) {
    d.helps.push_back("did you mean " + quoted(std::string(*p) + std::string(word.substr(dot))) +
                      "?");
  }
}

std::optional<VarRef> resolve_ref(RefKind kind, std::string_view name, std::string_view word,
                                  Span span, Diags& diags) {
  if (name.size() > kMaxNameBytes) {
    diags.error("FX0810", "name in " + quoted(word) + " is longer than 64 bytes", span);
    return std::nullopt;
  }
  VarRef v;
  v.kind = VarRef::Kind::Ref;
  v.ref = kind;
  v.name = kind == RefKind::Header ? lower(name) : std::string(name);
  return v;
}

}  // namespace

std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  std::optional<std::string_view> best;
  std::size_t best_d = 3;  // suggest only within two edits
  for (auto c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d && d < std::max(word.size(), c.size())) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

std::optional<VarRef> resolve_variable(std::string_view word, Span span, Diags& diags) {
  for (const auto& s : kSimple) {
    if (word == s.name) return VarRef{VarRef::Kind::Simple, s.var, RefKind::Header, {}};
  }
  const auto dot = word.find('.');
  if (dot != std::string_view::npos && dot + 1 < word.size()) {
    const std::string_view prefix = word.substr(0, dot);
    const std::string_view rest = word.substr(dot + 1);
    if (prefix == "header") return resolve_ref(RefKind::Header, rest, word, span, diags);
    if (prefix == "cookie") return resolve_ref(RefKind::Cookie, rest, word, span, diags);
    if (prefix == "arg") return resolve_ref(RefKind::Arg, rest, word, span, diags);
    constexpr std::string_view kRegex = "regex.";
    if (prefix == "route" && rest.starts_with(kRegex) && is_ident(rest.substr(kRegex.size()))) {
      return resolve_ref(RefKind::RouteRegex, rest.substr(kRegex.size()), word, span, diags);
    }
  }
  report_unknown(word, span, diags);
  return std::nullopt;
}

std::string VarRef::spelling() const {
  if (kind == Kind::Simple) return std::string(kSimpleNames[static_cast<std::size_t>(var)]);
  switch (ref) {
    case RefKind::Header:
      return "header." + name;
    case RefKind::Cookie:
      return "cookie." + name;
    case RefKind::Arg:
      return "arg." + name;
    case RefKind::RouteRegex:
      return "route.regex." + name;
  }
  return name;
}

}  // namespace flux::compiler::expr
