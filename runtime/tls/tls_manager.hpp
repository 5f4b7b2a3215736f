#pragma once
// Downstream TLS for the TLS listeners (config-reference.md §3, cli.md §6.2). As an extension
// factory it loads every certificate while a generation is built, so a snapshot whose
// certificates cannot be read is refused whole (php-behaviour.md §15). As the server's
// TlsProvider it hands out the current contexts; the SNI callback picks the certificate.
// A SIGHUP that brings no new generation still re-reads the files (certificate rotation); a
// file that fails to load keeps the contexts in use and logs why.

#include <atomic>
#include <memory>

#include "runtime/core/site_state.hpp"
#include "runtime/http/tls_provider.hpp"
#include "runtime/tls/context_set.hpp"

namespace flux::runtime::tls {

class TlsManager final : public http::TlsProvider, public core::ExtensionFactory {
 public:
  // `slot`: the index of this factory in the list given to SiteState::build.
  explicit TlsManager(std::size_t slot) : slot_(slot) {}

  Result<std::unique_ptr<GenerationState>> build(const LoadedSnapshot& snapshot) override;
  std::shared_ptr<boost::asio::ssl::context> context() override;

  // Adopts the contexts `generation` was built with (start-up).
  void activate(const Generation& generation);
  // After a SIGHUP reload attempt: adopt the new generation's contexts when it was applied,
  // else re-read the certificate files of the running configuration.
  void after_reload(const Generation& current, bool applied);

 private:
  static int on_servername(SSL* ssl, int* alert, void* arg);

  std::size_t slot_;
  std::atomic<std::shared_ptr<ContextSet>> current_;
};

}  // namespace flux::runtime::tls
