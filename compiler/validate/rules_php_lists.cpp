// The list-valued PHP keys (config-reference.md §8.1, §8.2).

#include <algorithm>
#include <array>
#include <set>
#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/convert.hpp"
#include "compiler/validate/net.hpp"
#include "compiler/validate/rules.hpp"
#include "snapshot/managed_params.hpp"

namespace flux::compiler {
namespace {

std::optional<std::string> param_name_problem(std::string_view n) {
  if (n.empty() || n.size() > 128) return "parameter names must be 1 to 128 bytes";
  const bool charset =
      n.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string_view::npos;
  if (!charset || (n[0] >= '0' && n[0] <= '9')) {
    return "parameter names must use uppercase ASCII letters, digits, and underscores";
  }
  if (n.starts_with("HTTP_"))
    return "HTTP_* request header parameters cannot be overridden with php.params";
  if (snapshot::is_managed_param(n)) {
    return "parameter name is managed by Fluxheim and cannot be overridden";
  }
  return std::nullopt;
}

void report_param(TableCtx& t, const ir::Field& f, std::string_view reason, bool at_key) {
  t.failed.emplace("params");
  t.ctx.report_at(
      Code::FX0508, join_path(t.key_path("params"), f.name), "php.params: " + std::string(reason),
      at_key && f.value.origin.key.end > f.value.origin.key.begin ? f.value.origin.key
                                                                  : f.value.origin.value);
}

}  // namespace

void check_php_params(TableCtx& t) {
  const ir::Value* params = t.get("params");
  if (params == nullptr) return;
  if (params->fields.size() > 128)
    return (void)t.error(Code::FX0508, "params", "at most 128 parameters are allowed");
  for (const auto& f : params->fields) {
    if (auto problem = param_name_problem(f.name)) {
      report_param(t, f, *problem, true);
    } else if (f.value.str.size() > 16 * 1024) {
      report_param(t, f, "parameter values must be at most 16KiB", false);
    } else if (has_ctl(f.value.str)) {
      report_param(t, f, "parameter values must not contain ASCII control characters", false);
    }
  }
}

namespace {

void check_patterns(TableCtx& t) {
  const auto& patterns = items_of(t, "stderr_failure_patterns");
  if (patterns.size() > 32)
    return (void)t.error(Code::FX0509, "stderr_failure_patterns",
                         "at most 32 patterns are allowed");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const std::string& p = patterns[i].str;
    if (p.empty() || p.size() > 512 || has_ctl(p)) {
      return item_error(
          t, Code::FX0509, "stderr_failure_patterns", i,
          "patterns must be 1 to 512 bytes and must not contain ASCII control characters");
    }
    if (!seen.insert(p).second)
      return item_error(t, Code::FX0509, "stderr_failure_patterns", i,
                        "duplicate patterns are not allowed");
  }
}

void check_hidden_headers(TableCtx& t) {
  ir::Value* headers = t.table.get("hide_response_headers");
  if (headers == nullptr || !headers->present()) return;
  if (headers->items.size() > 64)
    return (void)t.error(Code::FX0509, "hide_response_headers", "at most 64 headers are allowed");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < headers->items.size(); ++i) {
    std::string& h = headers->items[i].str;
    if (!is_header_token(h))
      return item_error(t, Code::FX0509, "hide_response_headers", i, "invalid header name");
    std::transform(h.begin(), h.end(), h.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!seen.insert(h).second)
      return item_error(t, Code::FX0509, "hide_response_headers", i,
                        "duplicate headers are not allowed");
  }
}

void check_intercepts(TableCtx& t) {
  const auto& statuses = items_of(t, "intercept_error_statuses");
  if (statuses.size() > 200)
    return (void)t.error(Code::FX0509, "intercept_error_statuses",
                         "at most 200 statuses are allowed");
  std::set<std::uint64_t> seen;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    if (statuses[i].uint < 400 || statuses[i].uint > 599) {
      return item_error(t, Code::FX0509, "intercept_error_statuses", i,
                        "statuses must be HTTP error statuses from 400 through 599");
    }
    if (!seen.insert(statuses[i].uint).second)
      return item_error(t, Code::FX0509, "intercept_error_statuses", i,
                        "duplicate statuses are not allowed");
  }
}

}  // namespace

void check_php_response_lists(TableCtx& t) {
  check_patterns(t);
  check_hidden_headers(t);
  check_intercepts(t);
}

// cli.md §8 FX0910: fpm_root differs from root while tcp is a loopback address.
void check_fpm_root_mapping(TableCtx& php, const TableCtx& fpm) {
  if (!php.given("fpm_root") || php.str("fpm_root") == php.str("root") || !fpm.get("tcp")) return;
  std::optional<IpAddr> ip;
  if (is_host_port(fpm.str("tcp"), &ip) && ip && is_loopback(*ip)) {
    php.warn(
        Code::FX0910, "fpm_root",
        "fpm_root differs from root but php.fpm.tcp is a loopback address; php-fpm is probably "
        "local: is the mapping intended?");
  }
}

}  // namespace flux::compiler
