// Redirect-target rules (config-reference.md §7.2, FX0406), checked on the template parts:
// http(s) scheme; no whitespace or CTL; `{query}` not inside the authority; no `/{path}` or
// `/{uri}`; after substituting `/` for {uri}/{path} and "" for other variables, a valid
// host[:port] and a path without `//`, `.`/`..` segments or `\`. Inside the authority a
// placeholder stands for a valid label ("x", or "1" for server_port) instead of "", so that the
// common `https://{host}{uri}` is accepted.
#include <algorithm>
#include <cctype>
#include <string>

#include "compiler/expr/check.hpp"

namespace flux::compiler::expr {
namespace {

using snapshot::expr::Var;

enum class Part { Authority, Path, Rest };

struct Walk {
  Part state = Part::Authority;
  std::string authority, path;
  Span auth_span{}, path_span{};
  bool have_auth = false, have_path = false;
};

void widen(Span& s, bool& have, Span add) {
  s = have ? Span{std::min(s.begin, add.begin), std::max(s.end, add.end)} : add;
  have = true;
}

bool valid_host(std::string_view h) {
  if (h.empty()) return false;
  if (h.front() == '[') {
    return h.size() > 2 && h.back() == ']' && std::all_of(h.begin() + 1, h.end() - 1, [](char c) {
             return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
           });
  }
  if (h.front() == '.' || h.find("..") != std::string_view::npos) return false;
  return std::all_of(h.begin(), h.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

bool valid_authority(std::string_view a) {
  const auto colon = a.rfind(':');
  const bool has_port =
      colon != std::string_view::npos && a.find(']', colon) == std::string_view::npos;
  if (!has_port) return valid_host(a);
  const std::string_view port = a.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::stoul(std::string(port)) > 65535 || std::stoul(std::string(port)) == 0) {
    return false;
  }
  return valid_host(a.substr(0, colon));
}

void add_text(Walk& w, std::string_view text, Span span) {
  for (char c : text) {
    if (w.state == Part::Authority && (c == '/' || c == '?' || c == '#')) {
      w.state = c == '/' ? Part::Path : Part::Rest;
    } else if (w.state == Part::Path && (c == '?' || c == '#')) {
      w.state = Part::Rest;
    }
    if (w.state == Part::Authority) {
      w.authority += c;
      widen(w.auth_span, w.have_auth, span);
    } else if (w.state == Part::Path) {
      w.path += c;
      widen(w.path_span, w.have_path, span);
    }
  }
}

bool add_var(Walk& w, const TemplatePart& p, Diags& diags) {
  const bool slash_var = p.var.is(Var::Uri) || p.var.is(Var::Path);
  if (w.state == Part::Authority) {
    if (p.var.is(Var::Query)) {
      diags.error("FX0406", "`{query}` cannot be inside the authority of a redirect target",
                  p.span);
      return false;
    }
    if (!slash_var) {
      w.authority += p.var.is(Var::ServerPort) ? "1" : "x";
      widen(w.auth_span, w.have_auth, p.span);
      return true;
    }
    w.state = Part::Path;
  } else if (w.state == Part::Path && slash_var && !w.path.empty() && w.path.back() == '/') {
    diags.error("FX0406",
                "`/{" + p.var.spelling() + "}` makes a `//` path; {" + p.var.spelling() +
                    "} already starts with `/`",
                p.span);
    return false;
  }
  if (w.state == Part::Path && slash_var) {
    w.path += '/';
    widen(w.path_span, w.have_path, p.span);
  }
  return true;
}

bool check_path(const Walk& w, Diags& diags) {
  const std::string& p = w.path;
  const char* problem = nullptr;
  if (p.find("//") != std::string::npos) problem = "redirect path contains `//`";
  if (p.find('\\') != std::string::npos) problem = "redirect path contains `\\`";
  for (std::size_t i = 0; i < p.size() && problem == nullptr; ++i) {
    if (p[i] != '/') continue;
    const std::size_t end = std::min(p.find('/', i + 1), p.size());
    const std::string_view seg(p.data() + i + 1, end - i - 1);
    if (seg == "." || seg == "..") problem = "redirect path contains a `.` or `..` segment";
  }
  if (problem == nullptr) return true;
  diags.error("FX0406", problem, w.path_span);
  return false;
}

}  // namespace

bool check_redirect_target(const std::vector<TemplatePart>& parts, std::string_view text,
                           Diags& diags) {
  const Span whole{0, text.size()};
  const std::string_view first =
      parts.empty() || parts[0].is_var ? std::string_view{} : std::string_view(parts[0].text);
  const std::size_t scheme = first.starts_with("https://")  ? 8
                             : first.starts_with("http://") ? 7
                                                            : 0;
  if (scheme == 0) {
    diags.error("FX0406", "redirect target must start with http:// or https://", whole);
    return false;
  }
  for (const auto& p : parts) {
    if (!p.is_var && std::any_of(p.text.begin(), p.text.end(), [](char c) {
          return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F;
        })) {
      diags.error("FX0406", "redirect target contains whitespace or a control character", p.span);
      return false;
    }
  }
  Walk w;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& p = parts[i];
    if (!p.is_var) {
      add_text(w, i == 0 ? std::string_view(p.text).substr(scheme) : std::string_view(p.text),
               p.span);
    } else if (!add_var(w, p, diags)) {
      return false;
    }
  }
  if (!valid_authority(w.authority)) {
    diags.error(
        "FX0406",
        "redirect target needs a valid host[:port] after the scheme, found " + quoted(w.authority),
        w.have_auth ? w.auth_span : whole);
    return false;
  }
  return check_path(w, diags);
}

}  // namespace flux::compiler::expr
