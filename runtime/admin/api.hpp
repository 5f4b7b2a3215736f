#pragma once
// The admin API of cli.md §6.3 as a function from a parsed request to a JSON response: bearer
// authentication, routing (404/405 with Allow), the three endpoints, and their bodies. No
// sockets: the listener (server.cpp) parses HTTP and writes what this returns.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/core/reload.hpp"

namespace flux::runtime::admin {

inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;

struct PoolStatus {
  std::string pool;
  bool up = false;
  std::uint64_t restarts = 0;
};

struct Status {
  std::string version;
  std::uint64_t generation = 0;
  std::string snapshot;    // "sha256:…"
  std::string started_at;  // RFC 3339, UTC
  std::vector<PoolStatus> managed_pools;
};

struct Purge {
  enum class Kind { kKey, kUrl, kPrefix };
  Kind kind = Kind::kKey;
  std::string key;
  std::string host;
  std::string path;  // kUrl: the path; kPrefix: the prefix
};

// What the endpoints act on; wired to the running process in runtime/main.
struct Backend {
  std::function<Status()> status;
  std::function<core::ReloadOutcome()> reload;  // the SIGHUP path, synchronous
  std::function<std::uint64_t(const Purge&)> purge;
};

struct ApiRequest {
  std::string_view method;
  std::string_view target;  // path, optionally with a query (ignored)
  std::optional<std::string_view> authorization;
  std::string_view body;
};

struct ApiResponse {
  unsigned status = 200;
  std::string body;           // JSON, newline-terminated
  std::string allow;          // 405 only
  bool unauthorized = false;  // 401: add WWW-Authenticate (RFC 6750 §3)
};

ApiResponse handle_request(const ApiRequest& request, std::string_view token,
                           const Backend& backend);

// The body of a POST /v1/cache/purge: exactly one of {"key"}, {"host","path"},
// {"host","prefix"}; paths start with '/'. nullopt: 400.
std::optional<Purge> parse_purge(std::string_view body, std::string& error);

// The JSON reply and status of a reload outcome (cli.md §6.3).
ApiResponse reload_response(const core::ReloadOutcome& outcome);

// A JSON error body {"error": message} with `status`.
ApiResponse error_response(unsigned status, std::string_view message);

}  // namespace flux::runtime::admin
