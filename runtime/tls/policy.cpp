#include "runtime/tls/policy.hpp"

#include <openssl/err.h>

#include <cstring>
#include <string_view>

#include "snapshot/fxs_generated.h"

namespace flux::runtime::tls {
namespace {

// Mozilla "intermediate" TLS 1.2 suites (forward secrecy, AEAD only); the DHE suites are left
// out because no DH parameters are configured.
constexpr const char* kIntermediateCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Session ids are only meaningful inside this server (RFC 8446 §2.2 resumption, RFC 5077).
constexpr unsigned char kSessionIdContext[] = "fluxheim";

std::string_view sv(const flatbuffers::String* s) { return s == nullptr ? "" : s->string_view(); }

std::string group_name(std::string_view curve) {
  if (curve == "CurveP256") return "P-256";
  if (curve == "CurveP384") return "P-384";
  return std::string(curve);  // X25519
}

void append(std::string& list, std::string_view item) {
  if (!list.empty()) list.push_back(':');
  list.append(item);
}

// RFC 7301 §3.2: we only speak HTTP/1.1; a client that offers ALPN without it gets the fatal
// no_application_protocol alert rather than a protocol it did not ask for.
int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned inlen, void*) {
  static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

std::string openssl_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out.append("; ");
    out.append(buf);
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

Result<Policy> policy_of(const fxs::Tls* tls) {
  Policy p;
  if (tls == nullptr) {
    p.cipher_list = kIntermediateCiphers;
    return p;
  }
  // `modern` implies TLS 1.3 when min_protocol is unset (config-reference.md §3).
  if (sv(tls->min_protocol()) == "tls1.3" || sv(tls->profile()) == "modern") {
    p.min_version = TLS1_3_VERSION;
  }
  if (tls->cipher_suites() != nullptr && tls->cipher_suites()->size() != 0) {
    for (const auto* name : *tls->cipher_suites()) {
      if (name->string_view().starts_with("TLS_AES_") ||
          name->string_view().starts_with("TLS_CHACHA20_")) {
        append(p.ciphersuites, name->string_view());  // TLS 1.3 names are the IANA names
        continue;
      }
      const char* openssl_name = OPENSSL_cipher_name(name->c_str());
      if (openssl_name == nullptr || std::strcmp(openssl_name, "(NONE)") == 0) {
        return make_error("unknown cipher suite `" + name->str() + "`");
      }
      append(p.cipher_list, openssl_name);
    }
  }
  if (p.cipher_list.empty()) p.cipher_list = kIntermediateCiphers;
  if (tls->curve_preferences() != nullptr && tls->curve_preferences()->size() != 0) {
    p.groups.clear();
    for (const auto* c : *tls->curve_preferences()) append(p.groups, group_name(c->string_view()));
  }
  return p;
}

Result<void> apply_policy(SSL_CTX* ctx, const Policy& policy) {
  if (SSL_CTX_set_min_proto_version(ctx, policy.min_version) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1) {
    return make_error("protocol versions: " + openssl_errors());
  }
  if (policy.min_version < TLS1_3_VERSION &&
      SSL_CTX_set_cipher_list(ctx, policy.cipher_list.c_str()) != 1) {
    return make_error("cipher suites: " + openssl_errors());
  }
  if (!policy.ciphersuites.empty() &&
      SSL_CTX_set_ciphersuites(ctx, policy.ciphersuites.c_str()) != 1) {
    return make_error("TLS 1.3 cipher suites: " + openssl_errors());
  }
  if (SSL_CTX_set1_groups_list(ctx, policy.groups.c_str()) != 1) {
    return make_error("curve preferences: " + openssl_errors());
  }
  // No compression (CRIME), no renegotiation (RFC 8446 removed it; TLS 1.2 renegotiation is a
  // DoS lever), server cipher order for TLS 1.2.
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  return {};
}

}  // namespace flux::runtime::tls
