#pragma once
// The TLS context used for TLS listeners (runtime/tls implements it: certificates, SNI
// selection, protocol policy, reload on SIGHUP).

#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace flux::runtime::http {

class TlsProvider {
 public:
  virtual ~TlsProvider() = default;
  // The server context new handshakes start with; SNI may switch the SSL to another one. Shared
  // because a certificate reload may replace it while a connection is being set up: the caller
  // holds it until its SSL object exists (which then keeps its own OpenSSL reference).
  virtual std::shared_ptr<boost::asio::ssl::context> context() = 0;
};

}  // namespace flux::runtime::http
