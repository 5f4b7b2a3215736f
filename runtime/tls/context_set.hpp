#pragma once
// The server contexts of one certificate load: one OpenSSL context per distinct certificate
// ([[tls.certificates]] and [vhosts.tls] certificate), all with the same protocol policy, and
// the SNI table that picks one of them (config-reference.md §3). Immutable once loaded; a
// SIGHUP loads a new set next to it.

#include <boost/asio/ssl/context.hpp>

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "snapshot/result.hpp"

namespace flux::fxs {
struct Config;
}

namespace flux::runtime::tls {

// Called by OpenSSL for every ClientHello (with or without SNI); `arg` is the TlsManager.
using ServernameCallback = int (*)(SSL*, int*, void*);

class ContextSet {
 public:
  // Reads every certificate and key file now; any failure names the file and the reason.
  static Result<std::shared_ptr<ContextSet>> load(const fxs::Config& config,
                                                  ServernameCallback callback, void* arg);

  // RFC 6066 §3 server_name, already lowercased; "" when the client sent none. Exact names
  // first (vhost hosts, then certificate SANs), then wildcards; else the fallback.
  SSL_CTX* select(std::string_view server_name) const;
  boost::asio::ssl::context& fallback() { return *contexts_[fallback_]; }
  std::size_t size() const { return contexts_.size(); }

 private:
  struct Wildcard {
    std::string suffix;  // ".example.com"
    std::size_t context;
    bool any_depth;  // vhost host patterns match deeper names too (config-reference §7)
  };
  Result<std::size_t> add_certificate(const std::string& cert_path, const std::string& key_path,
                                      ServernameCallback callback, void* arg);
  void add_name(std::string_view name, std::size_t context, bool vhost_pattern);

  std::vector<std::unique_ptr<boost::asio::ssl::context>> contexts_;
  std::vector<std::pair<std::string, std::string>> files_;  // (cert, key) per context
  std::unordered_map<std::string, std::size_t> exact_;
  std::vector<Wildcard> wildcards_;  // vhost patterns first, each group longest suffix first
  std::size_t fallback_ = 0;
};

}  // namespace flux::runtime::tls
