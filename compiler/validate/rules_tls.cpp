// [tls], certificates (config-reference.md §3) and header policies (§4).

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/convert.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

// IANA names OpenSSL 3 implements; the first five are TLS 1.3 suites.
constexpr std::string_view kTls13Suites[] = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                             "TLS_CHACHA20_POLY1305_SHA256",
                                             "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"};
constexpr std::string_view kTls12Suites[] = {
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",       "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",       "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",           "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",     "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",         "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"};

bool contains(std::span<const std::string_view> list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

void check_cipher_suites(TableCtx& t, bool tls13_only) {
  const auto& suites = items_of(t, "cipher_suites");
  for (std::size_t i = 0; i < suites.size(); ++i) {
    const std::string& s = suites[i].str;
    const bool v13 = contains(kTls13Suites, s), v12 = contains(kTls12Suites, s);
    if (!v13 && !v12) {
      item_error(t, Code::FX0103, "cipher_suites", i, "unknown cipher suite `" + s + "`");
    } else if (v12 && tls13_only) {
      item_error(t, Code::FX0205, "cipher_suites", i,
                 "TLS 1.2 suite `" + s + "` cannot be used with min_protocol = \"tls1.3\"");
    }
  }
}

// Header names of a set/append map must be tokens (config-reference.md §4.1).
void check_header_map(TableCtx& t, std::string_view key) {
  const ir::Value* map = t.get(key);
  if (map == nullptr) return;
  for (const auto& f : map->fields) {
    if (!is_header_token(f.name)) {
      t.failed.emplace(key);
      t.ctx.report_at(Code::FX0702, join_path(t.key_path(key), f.name),
                      field_name(t.type, key) + ": invalid header name `" + f.name + "`",
                      f.value.origin.key);
    }
  }
}

// Names are compared case-insensitively and stored lowercased (§0.2 header-name).
void lowercase_map_keys(TableCtx& t, std::string_view key) {
  ir::Value* map = t.table.get(key);
  if (map == nullptr || !map->present()) return;
  for (auto& f : map->fields) {
    std::transform(f.name.begin(), f.name.end(), f.name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
}

void header_policy(TableCtx& t) {
  for (const auto key : {"set", "append"}) {
    check_header_map(t, key);
    if (t.ok(key)) lowercase_map_keys(t, key);
  }
  // A name given under `set` (or its alias `add`) twice after lowercasing.
  const ir::Value* set = t.get("set");
  std::set<std::string> seen;
  for (std::size_t i = 0; set != nullptr && i < set->fields.size(); ++i) {
    if (!seen.insert(set->fields[i].name).second) {
      t.ctx.report(Code::FX0205, join_path(t.key_path("set"), set->fields[i].name),
                   "header `" + set->fields[i].name + "` is set twice",
                   set->fields[i].value.origin);
    }
  }
}

}  // namespace

void rules_tls(TableCtx& t) {
  if (t.str("backend") == "rustls") {
    t.warn(Code::FX0907, "backend",
           "tls.backend = \"rustls\" is accepted as an alias; this build always uses OpenSSL");
  }
  // §3 profile: modern needs TLS 1.3; when min_protocol is unset, modern implies it.
  if (t.str("profile") == "modern") {
    if (t.given("min_protocol") && t.str("min_protocol") != "tls1.3") {
      t.error_field(Code::FX0205, "profile", "",
                    "tls.profile = \"modern\" requires min_protocol = \"tls1.3\"");
    } else if (!t.given("min_protocol")) {
      ir::Value* min = t.table.get("min_protocol");
      if (min != nullptr) min->str = "tls1.3";
    }
  }
  check_cipher_suites(t, t.str("min_protocol") == "tls1.3");
}

void rules_certificate(TableCtx& t) {
  for (const auto key : {"cert_path", "key_path"}) {
    if (!t.get(key) && t.ok(key)) {
      t.error_field(Code::FX0102, key, "", "missing required key `" + std::string(key) + "`");
    }
  }
  if (!t.ctx.options().host_checks || !t.get("key_path") || !t.ok("key_path")) return;
  struct stat st {};
  const std::string key(t.str("key_path"));
  if (::stat(key.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    t.error_field(Code::FX0306, "key_path", "",
                  "unsafe path `" + key + "` for " + table_display(t.key_path("key_path")) +
                      ": the private key is group/world-readable");
  }
}

void rules_request_headers(TableCtx& t) { header_policy(t); }

void rules_response_headers(TableCtx& t) { header_policy(t); }

}  // namespace flux::compiler
