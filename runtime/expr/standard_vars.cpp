#include "runtime/expr/standard_vars.hpp"

#include <algorithm>

namespace flux::runtime::expr {
namespace {

using snapshot::expr::Var;

bool iequals(std::string_view a, std::string_view lower) {
  return a.size() == lower.size() &&
         std::equal(a.begin(), a.end(), lower.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? static_cast<char>(x - 'A' + 'a') : x) == y;
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string decode_query_component(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

StandardRequestVars::StandardRequestVars(const RequestInfo& info, RouteCaptures route)
    : info_(info), route_(route) {
  const auto q = info.target.find('?');
  path_ = info.target.substr(0, q);
  query_ = q == std::string_view::npos ? std::string_view{} : info.target.substr(q + 1);
}

std::string_view StandardRequestVars::simple(Var var) const {
  switch (var) {
    case Var::Scheme:
      return info_.scheme;
    case Var::Host:
      return info_.host;
    case Var::Method:
      return info_.method;
    case Var::Uri:
      return info_.target;
    case Var::Path:
      return path_;
    case Var::Query:
      return query_;
    case Var::RemoteAddr:
      return info_.remote_addr;
    case Var::ServerPort:
      break;
  }
  return {};
}

std::optional<std::string_view> StandardRequestVars::header(std::string_view lower_name) const {
  for (const auto& [name, value] : header_cache_) {
    if (name == lower_name) return value;
  }
  std::optional<std::string_view> result;
  std::string joined;
  std::size_t lines = 0;
  const std::string_view sep = lower_name == "cookie" ? "; " : ", ";
  for (const auto& h : info_.headers) {
    if (!iequals(h.name, lower_name)) continue;
    if (lines++ == 0) {
      result = h.value;
      joined.assign(h.value);
    } else {
      joined.append(sep).append(h.value);
    }
  }
  if (lines > 1) result = joined_.emplace_back(std::move(joined));
  header_cache_.emplace_back(std::string(lower_name), result);
  return result;
}

const std::vector<StandardRequestVars::Pair>& StandardRequestVars::cookies() const {
  if (cookies_) return *cookies_;
  cookies_.emplace();
  std::string_view rest = header("cookie").value_or(std::string_view{});
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    const std::string_view item = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;  // RFC 6265 §5.2: needs name=value
    cookies_->emplace_back(trim(item.substr(0, eq)), trim(item.substr(eq + 1)));
  }
  return *cookies_;
}

const std::vector<std::pair<std::string, std::string>>& StandardRequestVars::args() const {
  if (args_) return *args_;
  args_.emplace();
  std::string_view rest = query_;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string_view value = eq == std::string_view::npos ? "" : item.substr(eq + 1);
    args_->emplace_back(decode_query_component(item.substr(0, eq)), decode_query_component(value));
  }
  return *args_;
}

std::optional<std::string_view> StandardRequestVars::cookie(std::string_view name) const {
  for (const auto& [n, v] : cookies()) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::optional<std::string_view> StandardRequestVars::arg(std::string_view name) const {
  for (const auto& [n, v] : args()) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view StandardRequestVars::route_regex(std::string_view group) const {
  for (std::size_t i = 0; i < route_.names.size() && i < route_.captures.size(); ++i) {
    const auto& c = route_.captures[i];
    if (route_.names[i] == group && c.matched && c.end <= route_.subject.size()) {
      return route_.subject.substr(c.begin, c.end - c.begin);
    }
  }
  return {};
}

bool StandardRequestVars::has_cookie_prefix(std::string_view prefix) const {
  const auto& all = cookies();
  return std::any_of(all.begin(), all.end(),
                     [&](const Pair& c) { return c.first.starts_with(prefix); });
}

}  // namespace flux::runtime::expr
