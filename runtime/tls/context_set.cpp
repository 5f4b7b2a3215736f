#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/tls/context_set.hpp"

#include <openssl/x509v3.h>

#include <algorithm>
#include <optional>

#include "runtime/tls/policy.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::tls {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// The DNS names of the certificate's subjectAltName (RFC 5280 §4.2.1.6). Like browsers
// (RFC 6125 §6.4.4), the subject CN is not consulted.
std::vector<std::string> san_names(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_DNS) continue;
    const auto* data = ASN1_STRING_get0_data(name->d.dNSName);
    const auto len = static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName));
    out.push_back(lower(std::string_view(reinterpret_cast<const char*>(data), len)));
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::string_view sv(const flatbuffers::String* s) { return s == nullptr ? "" : s->string_view(); }

}  // namespace

Result<std::size_t> ContextSet::add_certificate(const std::string& cert_path,
                                                const std::string& key_path,
                                                ServernameCallback callback, void* arg) {
  for (std::size_t i = 0; i < files_.size(); ++i) {
    if (files_[i].first == cert_path && files_[i].second == key_path) return i;
  }
  SSL_CTX* raw = SSL_CTX_new(TLS_server_method());
  if (raw == nullptr) return make_error("cannot create a TLS context: " + openssl_errors());
  // Owned from here on: the wrapper frees it, also on the error paths below.
  auto ctx = std::make_unique<boost::asio::ssl::context>(raw);
  SSL_CTX_set_tlsext_servername_callback(raw, callback);
  SSL_CTX_set_tlsext_servername_arg(raw, arg);
  if (SSL_CTX_use_certificate_chain_file(raw, cert_path.c_str()) != 1) {
    return make_error("certificate " + cert_path + ": " + openssl_errors());
  }
  if (SSL_CTX_use_PrivateKey_file(raw, key_path.c_str(), SSL_FILETYPE_PEM) != 1) {
    return make_error("private key " + key_path + ": " + openssl_errors());
  }
  if (SSL_CTX_check_private_key(raw) != 1) {
    return make_error("private key " + key_path + " does not match certificate " + cert_path);
  }
  contexts_.push_back(std::move(ctx));
  files_.emplace_back(cert_path, key_path);
  return contexts_.size() - 1;
}

void ContextSet::add_name(std::string_view name, std::size_t context, bool vhost_pattern) {
  if (name.starts_with("*.")) {
    wildcards_.push_back({std::string(name.substr(1)), context, vhost_pattern});
  } else {
    exact_.emplace(std::string(name), context);  // the first claim wins
  }
}

Result<std::shared_ptr<ContextSet>> ContextSet::load(const fxs::Config& config,
                                                     ServernameCallback callback, void* arg) {
  auto policy = policy_of(config.tls());
  if (!policy) return policy.error();
  std::shared_ptr<ContextSet> set(new ContextSet());
  const auto add = [&](const fxs::Certificate& c) -> Result<std::size_t> {
    auto index = set->add_certificate(c.cert_path()->str(), c.key_path()->str(), callback, arg);
    if (!index) return index;
    if (auto applied = apply_policy(set->contexts_[*index]->native_handle(), *policy); !applied) {
      return applied.error();
    }
    return index;
  };
  // Vhost certificates first: a vhost's own certificate beats a SAN claim for its hosts.
  std::optional<std::size_t> default_vhost_cert;
  if (const auto* vhosts = config.vhosts()) {
    for (const auto* vh : *vhosts) {
      const auto* vt = vh->tls();
      if (vt == nullptr || !vt->enabled() || vt->certificate() == nullptr) continue;
      auto index = add(*vt->certificate());
      if (!index) return index.error();
      for (const auto* host : *vh->hosts()) set->add_name(host->string_view(), *index, true);
      if (config.server()->default_vhost() &&
          sv(vh->name()) == sv(config.server()->default_vhost())) {
        default_vhost_cert = *index;
      }
    }
  }
  std::optional<std::size_t> first_global;
  if (const auto* tls = config.tls(); tls != nullptr && tls->certificates() != nullptr) {
    for (const auto* c : *tls->certificates()) {
      auto index = add(*c);
      if (!index) return index.error();
      if (!first_global) first_global = *index;
      X509* cert = SSL_CTX_get0_certificate(set->contexts_[*index]->native_handle());
      for (const auto& name : san_names(cert)) set->add_name(name, *index, false);
    }
  }
  if (set->contexts_.empty()) return make_error("no TLS certificate is configured");
  // config-reference.md §1/§3: the first [[tls.certificates]] entry, else the default vhost's.
  set->fallback_ = first_global.value_or(default_vhost_cert.value_or(0));
  std::stable_sort(set->wildcards_.begin(), set->wildcards_.end(),
                   [](const Wildcard& a, const Wildcard& b) {
                     if (a.any_depth != b.any_depth) return a.any_depth;
                     return a.suffix.size() > b.suffix.size();
                   });
  return set;
}

SSL_CTX* ContextSet::select(std::string_view server_name) const {
  const auto fallback = contexts_[fallback_]->native_handle();
  if (server_name.empty()) return fallback;
  if (const auto it = exact_.find(std::string(server_name)); it != exact_.end()) {
    return contexts_[it->second]->native_handle();
  }
  for (const Wildcard& w : wildcards_) {
    if (server_name.size() <= w.suffix.size() || !server_name.ends_with(w.suffix)) continue;
    // RFC 6125 §6.4.3: a certificate wildcard covers exactly one label.
    const std::string_view label = server_name.substr(0, server_name.size() - w.suffix.size());
    if (!w.any_depth && label.find('.') != std::string_view::npos) continue;
    return contexts_[w.context]->native_handle();
  }
  return fallback;
}

}  // namespace flux::runtime::tls
