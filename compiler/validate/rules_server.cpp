// [server], [server.process], [server.https_redirect], [logging], [metrics], [admin]
// (config-reference.md §1, §2, §5, §6). Rules that need other tables are in cross_checks.cpp.

#include <sys/stat.h>

#include <map>
#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/net.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

void check_listeners(TableCtx& t) {
  std::map<std::string, const ir::Value*> seen;
  for (const std::string_view key : {"listen", "tls_listen"}) {
    const auto& items = items_of(t, key);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string& addr = items[i].str;
      if (!parse_socket_addr(addr)) {
        t.failed.emplace(key);
        t.ctx.report(Code::FX0301, index_path(t.key_path(key), i),
                     "invalid listen address `" + addr + "`", items[i].origin);
        continue;
      }
      const auto [it, fresh] = seen.emplace(addr, &items[i]);
      if (!fresh) {
        add_note(t.ctx.report(Code::FX0107, index_path(t.key_path(key), i),
                              "duplicate listen address `" + addr + "`", items[i].origin),
                 "first listed", it->second->origin.value);
      }
    }
  }
  if (t.ok("listen") && t.ok("tls_listen") && items_of(t, "listen").empty() &&
      items_of(t, "tls_listen").empty()) {
    t.error_table(Code::FX0302, "at least one of server.listen or server.tls_listen is required");
  }
}

}  // namespace

void rules_server(TableCtx& t) {
  check_listeners(t);
  if (t.given("default_vhost") && is_blank(t.str("default_vhost"))) {
    t.error(Code::FX0401, "default_vhost", "must not be blank");
  }
  const auto& proxies = items_of(t, "trusted_proxies");
  for (std::size_t i = 0; i < proxies.size(); ++i) {
    if (!is_ip_or_cidr(proxies[i].str)) {
      t.failed.emplace("trusted_proxies");
      t.ctx.report(Code::FX0307, index_path(t.key_path("trusted_proxies"), i),
                   "invalid trusted proxy `" + proxies[i].str + "`", proxies[i].origin);
    }
  }
  if (t.flag("regex_enabled")) {
    t.warn(Code::FX0907, "regex_enabled",
           "server.regex_enabled is ignored by this build; path_regex always works (linear-time "
           "engine)");
  }
}

void rules_log_file(TableCtx& t) {
  if (t.flag("enabled") && !t.get("path")) {
    t.error_field(Code::FX0102, "path", "", "logging.file.enabled requires logging.file.path");
  }
}

void rules_metrics(TableCtx& t) {
  if (!t.ok("listen")) return;
  IpAddr ip;
  if (!parse_socket_addr(t.str("listen"), &ip)) {
    t.error_field(Code::FX0301, "listen", "",
                  "invalid listen address `" + std::string(t.str("listen")) + "`");
    return;
  }
  if (t.flag("enabled") && t.flag("require_loopback") && !is_loopback(ip)) {
    t.error_field(Code::FX0304, "listen", "",
                  "metrics listener `" + std::string(t.str("listen")) + "` is not loopback");
  }
  const std::string_view path = t.str("path");
  if (path.empty() || path.front() != '/' || path.find_first_of("?#") != std::string_view::npos ||
      has_ctl(path)) {
    t.error(Code::FX0108, "path", "must start with / and contain no ?, # or control characters");
  }
}

void rules_admin(TableCtx& t) {
  if (t.given("require_loopback") && !t.flag("require_loopback")) {
    add_note(t.error_field(Code::FX0204, "require_loopback", "",
                           "`admin.require_loopback = false` is not supported by this build"),
             "remote admin transport is not supported by this build");
  }
  const std::string_view listen = t.str("listen");
  if (listen.starts_with("unix:")) {
    const std::string sock(listen.substr(5));
    const std::string parent = sock.substr(0, sock.find_last_of('/'));
    struct stat st {};
    if (sock.empty() || sock.front() != '/') {
      t.error(Code::FX0304, "listen",
              "a unix admin socket needs an absolute path (unix:/abs/path.sock)");
    } else if (t.ctx.options().host_checks &&
               ::stat((parent.empty() ? "/" : parent).c_str(), &st) == 0 &&
               (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
      t.error_field(Code::FX0306, "listen", "",
                    "unsafe path `" + sock +
                        "` for admin.listen: the parent directory is group/world-writable");
    }
  } else {
    IpAddr ip;
    if (!parse_socket_addr(listen, &ip) || !is_loopback(ip)) {
      t.error_field(Code::FX0304, "listen", "",
                    "admin listener must be a unix socket or a loopback address");
    }
  }
  if (!t.flag("enabled")) return;
  const bool file = t.get("token_file") != nullptr, env = t.get("token_env") != nullptr;
  if (!file && !env) t.error_table(Code::FX0305, "admin API requires token_file or token_env");
  if (file && env)
    t.error(Code::FX0305, "token_env", "configure only one of token_file or token_env");
  // §6: the token file must not be group/world-readable (checked at build and at start).
  struct stat st {};
  const std::string token(t.str("token_file"));
  if (file && t.ok("token_file") && t.ctx.options().host_checks &&
      ::stat(token.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    t.error_field(
        Code::FX0306, "token_file", "",
        "unsafe path `" + token + "` for admin.token_file: the token file is group/world-readable");
  }
}

}  // namespace flux::compiler
