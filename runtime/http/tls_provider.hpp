#pragma once
// The TLS context used for TLS listeners (runtime/tls implements it: certificates, SNI
// selection, protocol policy, reload on SIGHUP).

#include <boost/asio/ssl/context.hpp>

namespace flux::runtime::http {

class TlsProvider {
 public:
  virtual ~TlsProvider() = default;
  // The server context new handshakes start with; SNI may switch the SSL to another one.
  virtual boost::asio::ssl::context& context() = 0;
};

}  // namespace flux::runtime::http
