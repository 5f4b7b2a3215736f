// Managed php-fpm keys (config-reference.md §9.3), in the managed validation order: binary ->
// socket_dir -> workers -> process manager -> timeouts -> listen_backlog -> listen owner/group ->
// listen_mode -> max_requests_per_worker -> slowlog depth -> user/group -> session_save_path ->
// upload_tmp_dir.

#include <sys/stat.h>

#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

// `socket_dir` + "/" + "fh-fpm-" + 40 characters + ".sock" must fit sun_path (108 bytes with NUL).
constexpr std::size_t kLongestSocketName = 1 + 7 + 40 + 5;
constexpr std::size_t kSunPathMax = 107;

bool bad_path_bytes(std::string_view p) {
  return has_ctl(p) || p.find_first_of("'\"") != std::string_view::npos;
}

// Absolute, and UTF-8 without control characters or quotes (they end up in php-fpm's config).
bool check_abs_path(TableCtx& t, std::string_view key, bool required, std::string_view missing) {
  if (!t.get(key)) {
    if (required && t.ok(key)) t.error(Code::FX0607, key, missing);
    return false;
  }
  if (!t.ok(key)) return false;
  const std::string_view p = t.str(key);
  if (p.empty() || p.front() != '/')
    return (void)t.error(Code::FX0607, key, "must be an absolute path"), false;
  if (bad_path_bytes(p)) {
    return (void)t.error(Code::FX0607, key,
                         "must be valid UTF-8 without control characters or quotes"),
           false;
  }
  return true;
}

void check_binary(TableCtx& t) {
  if (!check_abs_path(t, "php_fpm_binary", true, "managed php-fpm requires php_fpm_binary")) return;
  const std::string bin(t.str("php_fpm_binary"));
  struct stat st {};
  if (!t.ctx.options().host_checks) {
    if (::lstat(bin.c_str(), &st) != 0) {
      t.warn(Code::FX0905, "php_fpm_binary",
             "php_fpm_binary `" + bin + "` does not exist on this host (host checks skipped)");
    }
    return;
  }
  if (::lstat(bin.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    t.error(Code::FX0607, "php_fpm_binary", "must point directly to a regular executable file");
  }
}

void check_socket_dir(TableCtx& t) {
  if (!check_abs_path(t, "socket_dir", true, "managed php-fpm requires socket_dir")) return;
  const std::string dir(t.str("socket_dir"));
  if (dir.size() + kLongestSocketName > kSunPathMax) {
    return t.error(Code::FX0607, "socket_dir", "socket_dir is too long for a unix socket path"),
           void();
  }
  // §9.3: the directory itself must not be group/world-writable when it exists. Its ancestors
  // are checked when fluxheim creates it (php-behaviour.md §14.1, exit 78).
  struct stat st {};
  if (t.ctx.options().host_checks && ::stat(dir.c_str(), &st) == 0 &&
      (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    t.error_field(Code::FX0306, "socket_dir", "",
                  "unsafe path `" + dir + "` for " + table_display(t.key_path("socket_dir")) +
                      ": the directory is group/world-writable");
  }
}

void check_sizing(TableCtx& t) {
  const std::string_view pm = t.str("process_manager");
  const bool spare = t.given("start_servers") || t.given("min_spare_servers") ||
                     t.given("max_spare_servers") || t.given("max_spawn_rate");
  if (pm == "static") {
    if (spare || t.given("process_idle_timeout_secs")) {
      t.error(Code::FX0608, "process_manager",
              "static mode accepts workers and max_requests_per_worker only");
    }
    return;
  }
  if (pm == "ondemand") {
    if (spare) {
      t.error(Code::FX0608, "process_manager",
              "ondemand mode accepts workers, process_idle_timeout_secs, and "
              "max_requests_per_worker only");
    }
    return;
  }
  const std::uint64_t workers = t.num("workers");
  if (!t.get("min_spare_servers"))
    return t.error(Code::FX0608, "min_spare_servers", "dynamic mode requires min_spare_servers"),
           void();
  if (!t.get("max_spare_servers"))
    return t.error(Code::FX0608, "max_spare_servers", "dynamic mode requires max_spare_servers"),
           void();
  const std::uint64_t lo = t.num("min_spare_servers"), hi = t.num("max_spare_servers");
  if (lo < 1 || lo > workers)
    return t.error(Code::FX0608, "min_spare_servers", "must be between 1 and workers"), void();
  if (hi < lo || hi > workers)
    return t.error(Code::FX0608, "max_spare_servers",
                   "must be between min_spare_servers and workers"),
           void();
  if (t.get("start_servers") && (t.num("start_servers") < 1 || t.num("start_servers") > workers)) {
    t.error(Code::FX0608, "start_servers", "must be between 1 and workers");
  }
  if (t.get("max_spawn_rate") && (t.num("max_spawn_rate") < 1 || t.num("max_spawn_rate") > 1024)) {
    t.error(Code::FX0608, "max_spawn_rate", "must be between 1 and 1024");
  }
  if (t.given("process_idle_timeout_secs")) {
    t.error(Code::FX0608, "process_idle_timeout_secs",
            "only ondemand mode uses process_idle_timeout_secs");
  }
}

bool identity_ok(std::string_view id) {
  return !id.empty() && id.size() <= 64 && id.front() != '-' &&
         id.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") ==
             std::string_view::npos;
}

void check_identity_pair(TableCtx& t, std::string_view a, std::string_view b,
                         std::string_view together) {
  if (t.given(a) != t.given(b)) return t.error(Code::FX0609, a, together), void();
  for (const auto key : {a, b}) {
    if (!t.given(key)) continue;
    if (t.str(key).empty() || t.str(key).size() > 64) {
      t.error(Code::FX0609, key, "must be 1 to 64 bytes");
    } else if (!identity_ok(t.str(key))) {
      t.error(Code::FX0609, key,
              "must contain only letters, numbers, underscore, dot, or dash and cannot start with "
              "dash");
    }
  }
}

void check_limits(TableCtx& t) {
  for (const auto key : {"process_idle_timeout_secs", "request_terminate_timeout_secs",
                         "request_slowlog_timeout_secs"}) {
    if (t.get(key) && t.ok(key) && t.num(key) > 86400)
      t.error(Code::FX0608, key, "must be less than or equal to 86400 seconds");
  }
  if (const ir::Value* b = t.get("listen_backlog");
      b != nullptr && t.ok("listen_backlog") && (b->sint < -1 || b->sint > 65535)) {
    t.error(Code::FX0608, "listen_backlog", "must be -1 or between 0 and 65535");
  }
  check_identity_pair(t, "listen_owner", "listen_group",
                      "managed php-fpm listen_owner and listen_group must be configured together");
  if (t.get("listen_mode") && t.str("listen_mode") != "0600" && t.str("listen_mode") != "0660") {
    t.error(Code::FX0608, "listen_mode", "must be \"0600\" or \"0660\"");
  }
  const std::uint64_t depth = t.num("request_slowlog_trace_depth");
  if (t.ok("request_slowlog_trace_depth") && (depth < 1 || depth > 512)) {
    t.error(Code::FX0608, "request_slowlog_trace_depth", "must be between 1 and 512");
  }
  check_identity_pair(t, "user", "group",
                      "managed php-fpm user and group must be configured together");
}

}  // namespace

void check_managed(TableCtx& t) {
  check_binary(t);
  check_socket_dir(t);
  check_sizing(t);
  check_limits(t);
  check_abs_path(t, "session_save_path", false, "");
  check_abs_path(t, "upload_tmp_dir", false, "");
}

}  // namespace flux::compiler
