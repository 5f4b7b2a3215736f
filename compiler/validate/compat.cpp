#include "compiler/validate/compat.hpp"

namespace flux::compiler {
namespace {

using enum TableType;

constexpr Alias kAliases[] = {
    {RequestHeaders, "unset", "remove", true},        {RequestHeaders, "add", "set", true},
    {ResponseHeaders, "unset", "remove", true},       {ResponseHeaders, "add", "set", true},
    {Cache, "extensions", "image_extensions", false},
};

// §1.2: Pingora-derived keys accepted when they carry the original's defaults. §1.2 daemon:
// false is the only accepted value. §6 snapshot_store and §7.3 upstream_http_version = "http1".
constexpr CompatKey kCompat[] = {
    {Process, "upgrade_sock", "\"/tmp/pingora_upgrade.sock\"", true},
    {Process, "certificate_reload_sock", "\"/tmp/pingora_cert_reload.sock\"", true},
    {Process, "listener_tasks_per_fd", "1", true},
    {Process, "work_stealing", "true", true},
    {Process, "upstream_keepalive_pool_size", "128", true},
    {Process, "max_retries", "16", true},
    {Process, "daemon", "false", false},
    {Admin, "snapshot_store", "*", true},
    {Proxy, "upstream_http_version", "\"http1\"", false},
};

constexpr UnsupportedKey kUnsupported[] = {
#define FX_UNSUPPORTED(table, key, note) {table, #key, note},
#include "compiler/validate/unsupported.def"
#undef FX_UNSUPPORTED
};

struct UnsupportedValue {
  TableType table;
  std::string_view key, value, note;
};
constexpr UnsupportedValue kUnsupportedValues[] = {
    {Server, "proxy_protocol", "v1", "PROXY protocol is not supported by this build"},
    {Server, "proxy_protocol", "v2", "PROXY protocol is not supported by this build"},
    {Tls, "alpn", "h2", "HTTP/2 is not supported by this build"},
    {Tls, "alpn", "h2-http1", "HTTP/2 is not supported by this build"},
    {Tls, "backend", "boringssl", "this build always uses OpenSSL"},
    {Tls, "backend", "s2n", "this build always uses OpenSSL"},
    {Tls, "curve_preferences", "X25519MLKEM768",
     "post-quantum key exchange is not supported by this build"},
};

}  // namespace

std::span<const UnsupportedKey> unsupported_keys() { return kUnsupported; }

const Alias* find_alias(TableType t, std::string_view key) {
  for (const auto& a : kAliases) {
    if (a.table == t && a.alias == key) return &a;
  }
  return nullptr;
}

const CompatKey* find_compat(TableType t, std::string_view key) {
  for (const auto& c : kCompat) {
    if (c.table == t && c.key == key) return &c;
  }
  return nullptr;
}

std::optional<std::string_view> unsupported_note(TableType t, std::string_view key) {
  for (const auto& u : kUnsupported) {
    if (u.table == t && u.key == key) return u.note;
  }
  return std::nullopt;
}

std::optional<std::string_view> unsupported_value(TableType t, std::string_view key,
                                                  std::string_view value) {
  for (const auto& u : kUnsupportedValues) {
    if (u.table == t && u.key == key && u.value == value) return u.note;
  }
  return std::nullopt;
}

}  // namespace flux::compiler
