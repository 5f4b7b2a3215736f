#pragma once
// What expressions can read from a request (expressions.md §3). The evaluator only sees this
// interface; StandardRequestVars (standard_vars.hpp) implements it over plain request data.

#include <cstdint>
#include <optional>
#include <string_view>

#include "snapshot/expr/opcode.hpp"

namespace flux::runtime::expr {

// Returned views must stay valid while the object lives (one request).
class RequestVars {
 public:
  virtual ~RequestVars() = default;

  // scheme, host, method, uri, path, query, remote_addr (not server_port).
  virtual std::string_view simple(snapshot::expr::Var var) const = 0;
  virtual std::uint32_t server_port() const = 0;

  // string? variables: nullopt when absent, which is distinct from "" (§3).
  virtual std::optional<std::string_view> header(std::string_view lower_name) const = 0;
  virtual std::optional<std::string_view> cookie(std::string_view name) const = 0;
  virtual std::optional<std::string_view> arg(std::string_view name) const = 0;

  // route.regex.NAME: "" when the group did not take part in the match.
  virtual std::string_view route_regex(std::string_view group) const = 0;

  // has_cookie_prefix(p): some cookie *name* starts with p (§4).
  virtual bool has_cookie_prefix(std::string_view prefix) const = 0;
};

}  // namespace flux::runtime::expr
