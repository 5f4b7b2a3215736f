#pragma once
// The protocol policy shared by every server context of a generation (config-reference.md §3):
// TLS 1.2/1.3 only, cipher suites and groups, ALPN "http/1.1", session resumption. Plain
// OpenSSL calls on an SSL_CTX; no Asio here.

#include <openssl/ssl.h>

#include <string>
#include <vector>

#include "snapshot/result.hpp"

namespace flux::fxs {
struct Tls;
}

namespace flux::runtime::tls {

struct Policy {
  int min_version = TLS1_2_VERSION;
  std::string cipher_list;   // TLS 1.2 suites, OpenSSL names
  std::string ciphersuites;  // TLS 1.3 suites (empty: OpenSSL's default)
  std::string groups = "X25519:P-256:P-384";
};

// Translates [tls] into OpenSSL terms; fails on a suite name OpenSSL does not know.
Result<Policy> policy_of(const fxs::Tls* tls);

// Applies the policy to a fresh server context.
Result<void> apply_policy(SSL_CTX* ctx, const Policy& policy);

// The OpenSSL error queue as one line (and clears it), for log lines.
std::string openssl_errors();

}  // namespace flux::runtime::tls
