#pragma once
// RequestVars over a parsed request (expressions.md §3): header lines joined with ", " ("; "
// for Cookie), cookies from the merged Cookie header (first occurrence wins), query arguments
// percent-decoded once with `+` as space (first occurrence wins). Cookies and arguments are
// parsed once, on first use, and cached for the request (§6).

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/expr/request_vars.hpp"
#include "snapshot/regex/matcher.hpp"

namespace flux::runtime::expr {

struct HeaderField {
  std::string_view name;  // as received; compared case-insensitively
  std::string_view value;
};

struct RequestInfo {
  std::string_view scheme;  // "http" | "https" (downstream connection)
  std::string_view host;    // normalized: lowercase, no port
  std::string_view method;
  std::string_view target;       // origin-form request target as received: path[?query]
  std::string_view remote_addr;  // effective client IP, no port
  std::uint32_t server_port = 0;
  std::span<const HeaderField> headers;
};

// The named captures of the matched route's path_regex.
struct RouteCaptures {
  std::string_view subject;                            // the path the regex ran on
  std::span<const std::string_view> names;             // RegexProgram.group_names
  std::span<const snapshot::regex::Capture> captures;  // same order as names
};

// Not thread-safe: one instance per request. `info`'s views must outlive it.
class StandardRequestVars final : public RequestVars {
 public:
  explicit StandardRequestVars(const RequestInfo& info, RouteCaptures route = {});

  std::string_view simple(snapshot::expr::Var var) const override;
  std::uint32_t server_port() const override { return info_.server_port; }
  std::optional<std::string_view> header(std::string_view lower_name) const override;
  std::optional<std::string_view> cookie(std::string_view name) const override;
  std::optional<std::string_view> arg(std::string_view name) const override;
  std::string_view route_regex(std::string_view group) const override;
  bool has_cookie_prefix(std::string_view prefix) const override;

 private:
  using Pair = std::pair<std::string_view, std::string_view>;
  const std::vector<Pair>& cookies() const;
  const std::vector<std::pair<std::string, std::string>>& args() const;

  RequestInfo info_;
  RouteCaptures route_;
  std::string_view path_, query_;
  mutable std::deque<std::string> joined_;  // stable storage for multi-line headers
  mutable std::vector<std::pair<std::string, std::optional<std::string_view>>> header_cache_;
  mutable std::optional<std::vector<Pair>> cookies_;
  mutable std::optional<std::vector<std::pair<std::string, std::string>>> args_;
};

// Percent-decodes once; `+` becomes a space. Malformed escapes are kept as they are.
std::string decode_query_component(std::string_view s);

}  // namespace flux::runtime::expr
