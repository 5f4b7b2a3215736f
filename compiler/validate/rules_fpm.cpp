// [vhosts.php.fpm] endpoints, pool and retries (config-reference.md §9.1, §9.2). The managed-mode
// keys of §9.3 are in rules_fpm_managed.cpp and run first in managed mode.

#include <netdb.h>
#include <sys/socket.h>

#include <set>
#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/defaults.hpp"
#include "compiler/validate/net.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

bool managed(const TableCtx& t) { return t.str("mode") == "managed"; }

// §9.1 IP-literal policy for tcp / tcp_upstreams entries.
std::optional<std::string> ip_policy(const TableCtx& t, std::string_view hostport) {
  std::optional<IpAddr> ip;
  if (!is_host_port(hostport, &ip) || !ip) return std::nullopt;
  if (is_unspecified_or_multicast(*ip)) return "must not use unspecified or multicast IP literals";
  if (is_private_or_link_local(*ip) && !t.flag("allow_private_tcp_upstreams")) {
    return "loopback, private, or link-local IP literals require allow_private_tcp_upstreams = "
           "true";
  }
  return std::nullopt;
}

void check_endpoint_count(TableCtx& t) {
  const bool socket = t.get("socket") || !t.ok("socket");
  const bool tcp = t.get("tcp") || !t.ok("tcp");
  const bool ups = !items_of(t, "tcp_upstreams").empty() || !t.ok("tcp_upstreams");
  const int n = int(socket) + int(tcp) + int(ups);
  if (managed(t)) {
    if (n > 0) {
      t.error(Code::FX0601, "mode",
              "managed php-fpm creates its own private socket; do not set socket, tcp, or "
              "tcp_upstreams");
    }
    return;
  }
  if (n == 0) {
    t.error_table(Code::FX0601,
                  "php.fpm: enabled PHP requires php-fpm socket, tcp, or tcp_upstreams");
  } else if (n > 1) {
    Diagnostic& d =
        t.error_table(Code::FX0601, "php.fpm: configure only one of socket, tcp, or tcp_upstreams");
    for (const auto key : {"socket", "tcp", "tcp_upstreams"}) {
      if (t.given(key)) add_note(d, "`" + std::string(key) + "` is set", t.origin(key).key);
    }
  }
}

// cli.md §8 FX0911: a host name that does not resolve here (information only: php-fpm may live
// on a network this build host cannot see; the runtime resolves on first use).
void warn_unresolved(TableCtx& t, std::string_view key, std::string_view hostport) {
  std::optional<IpAddr> ip;
  if (!t.ctx.options().host_checks || !is_host_port(hostport, &ip) || ip) return;
  const std::string host(hostport.substr(0, hostport.rfind(':')));
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &res) == 0) {
    ::freeaddrinfo(res);
    return;
  }
  t.warn(Code::FX0911, key, "php-fpm host `" + host + "` does not resolve on this host");
}

void check_endpoints(TableCtx& t) {
  if (t.get("socket") && t.str("socket").size() > 107) {
    t.error(Code::FX0603, "socket", "socket path is too long");
  }
  if (t.get("tcp")) {
    if (!is_host_port(t.str("tcp"))) {
      t.error(Code::FX0602, "tcp", "must be host:port or ip:port");
    } else if (auto p = ip_policy(t, t.str("tcp"))) {
      t.error(Code::FX0602, "tcp", *p);
    } else {
      warn_unresolved(t, "tcp", t.str("tcp"));
    }
  }
  const auto& ups = items_of(t, "tcp_upstreams");
  if (ups.size() > 64)
    return (void)t.error(Code::FX0602, "tcp_upstreams", "at most 64 upstreams are allowed");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < ups.size(); ++i) {
    std::string lower = ups[i].str;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!is_host_port(ups[i].str))
      return item_error(t, Code::FX0602, "tcp_upstreams", i,
                        "entries must be host:port or ip:port");
    if (auto p = ip_policy(t, ups[i].str))
      return item_error(t, Code::FX0602, "tcp_upstreams", i, *p);
    if (!seen.insert(lower).second)
      return item_error(t, Code::FX0602, "tcp_upstreams", i, "duplicate upstreams are not allowed");
    warn_unresolved(t, "tcp_upstreams", ups[i].str);
  }
}

void check_retries(TableCtx& t) {
  const auto& methods = items_of(t, "retry_methods");
  std::set<std::string> seen;
  if (methods.size() > 16) {
    t.error(Code::FX0605, "retry_methods", "at most 16 methods are allowed");
  } else {
    for (std::size_t i = 0; i < methods.size(); ++i) {
      const std::string& m = methods[i].str;
      if (!is_method_token(m)) {
        item_error(t, Code::FX0605, "retry_methods", i,
                   "methods must be uppercase HTTP method tokens");
        break;
      }
      if (!seen.insert(m).second) {
        item_error(t, Code::FX0605, "retry_methods", i, "contains duplicate methods");
        break;
      }
      if (m != "GET" && m != "HEAD" && m != "OPTIONS" && m != "TRACE") {
        item_error(t, Code::FX0605, "retry_methods", i,
                   "only safe HTTP methods GET, HEAD, OPTIONS, and TRACE are allowed");
        break;
      }
      if (m == "TRACE")
        t.warn(Code::FX0908, "retry_methods", "TRACE never reaches PHP; retrying it has no effect");
    }
  }
  const auto& statuses = items_of(t, "retry_statuses");
  std::set<std::uint64_t> codes;
  if (statuses.size() > 100)
    return (void)t.error(Code::FX0605, "retry_statuses", "at most 100 statuses are allowed");
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    if (statuses[i].uint < 500 || statuses[i].uint > 599) {
      return item_error(t, Code::FX0605, "retry_statuses", i,
                        "statuses must be HTTP server error statuses from 500 through 599");
    }
    if (!codes.insert(statuses[i].uint).second)
      return item_error(t, Code::FX0605, "retry_statuses", i, "duplicate statuses are not allowed");
  }
}

void check_pool(TableCtx& t) {
  if (t.flag("keepalive")) {
    if (t.num("pool_max_idle") == 0) {
      t.error(Code::FX0604, "pool_max_idle",
              "must be greater than zero when php.fpm.keepalive is enabled");
    } else if (t.num("pool_max_idle") > 1024) {
      t.error(Code::FX0604, "pool_max_idle", "must be less than or equal to 1024");
    }
  }
  if (!t.get("max_connections")) return;
  const std::uint64_t max = t.num("max_connections");
  if (t.given("max_connections") && (max < 1 || max > 4096)) {
    return (void)t.error(Code::FX0604, "max_connections", "must be between 1 and 4096");
  }
  if (t.flag("keepalive") && t.ok("pool_max_idle") && t.num("pool_max_idle") > max) {
    t.error(Code::FX0604, "pool_max_idle", "must be less than or equal to php.fpm.max_connections");
  }
  if (!managed(t) && t.flag("keepalive") && !t.given("max_connections")) {
    t.warn(Code::FX0913, "keepalive",
           "set php.fpm.max_connections to the php-fpm pool's pm.max_children (defaulting to "
           "pool_max_idle = " +
               std::to_string(t.num("pool_max_idle")) + ")");
  }
}

// §9.1: in external mode every §9.3 key must keep its default.
void check_managed_only_keys(TableCtx& t) {
  for (const Directive& d : table_info(TableType::Fpm).keys) {
    if (d.reload != ReloadClass::ProcessUpgrade || d.key == "mode" || !t.given(d.key)) continue;
    const ir::Value& v = *t.get(d.key);
    if (!d.default_json.empty() && d.default_json.front() != '=') {
      const ir::Value def = parse_default(d, {});
      if (def.kind == v.kind && def.uint == v.uint && def.boolean == v.boolean && def.str == v.str)
        continue;
    }
    add_note(t.error(Code::FX0606, "mode", "managed php-fpm fields require mode = \"managed\""),
             "`" + std::string(d.key) + "` is set", v.origin.key);
    return;
  }
}

}  // namespace

void rules_fpm(TableCtx& t) {
  if (managed(t)) {
    check_managed(t);
  } else {
    check_managed_only_keys(t);
  }
  check_endpoint_count(t);
  check_endpoints(t);
  check_retries(t);
  check_pool(t);
}

}  // namespace flux::compiler
