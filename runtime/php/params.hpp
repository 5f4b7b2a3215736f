#pragma once
// The FastCGI params of one request (php-behaviour.md §5): fixed CGI params in order, then
// HTTP_* headers and HTTP_HOST, custom params, PATH_INFO/PATH_TRANSLATED. An allow-list: the
// process environment is never passed.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fastcgi/codec/encoder.hpp"
#include "runtime/php/request_view.hpp"
#include "runtime/php/script_target.hpp"

namespace flux::runtime::php {

inline constexpr std::size_t kMaxParamsBytes = 256 * 1024;  // encoded PARAMS stream (§5.1)

struct ParamConfig {
  std::optional<std::uint16_t> server_port;  // php.server_port
  bool pass_request_headers = true;          // php.pass_request_headers
  std::vector<fastcgi::NameValue> custom;    // php.params, in snapshot order
};

enum class ParamError {
  kNone,
  kUnsafeValue,  // a path- or request-derived value is not param-safe (§2 step 7)
  kTooLarge,     // encoded params over 256KiB (§5.1)
};

struct ParamsResult {
  ParamError error = ParamError::kNone;
  std::string param;  // kUnsafeValue: the name of the offending param, for the log line
  std::vector<fastcgi::NameValue> params;
  bool ok() const { return error == ParamError::kNone; }
};

// §5.3: names that php.params may never set (exact, case-sensitive), plus every HTTP_* name.
bool is_protected_param(std::string_view name);

ParamsResult build_params(const RequestView& req, const ScriptTarget& script,
                          const ParamConfig& config);

}  // namespace flux::runtime::php
