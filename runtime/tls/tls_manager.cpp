#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/tls/tls_manager.hpp"

#include "runtime/log/logger.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::tls {
namespace {

// The contexts loaded for one generation (nullptr when TLS is off).
struct TlsState final : GenerationState {
  std::shared_ptr<ContextSet> contexts;
};

bool tls_enabled(const fxs::Config& cfg) {
  return cfg.tls() != nullptr && cfg.tls()->enabled() && cfg.server()->tls_listen() != nullptr &&
         cfg.server()->tls_listen()->size() != 0;
}

}  // namespace

int TlsManager::on_servername(SSL* ssl, int* /*alert*/, void* arg) {
  auto* self = static_cast<TlsManager*>(arg);
  const auto set = self->current_.load(std::memory_order_acquire);
  if (set == nullptr) return SSL_TLSEXT_ERR_OK;
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  std::string host = name == nullptr ? "" : name;
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!host.empty() && host.back() == '.') host.pop_back();
  // SSL_set_SSL_CTX takes its own reference, so the context outlives a later swap of the set.
  SSL_CTX* chosen = set->select(host);
  if (chosen != SSL_get_SSL_CTX(ssl)) SSL_set_SSL_CTX(ssl, chosen);
  return SSL_TLSEXT_ERR_OK;
}

Result<std::unique_ptr<GenerationState>> TlsManager::build(const LoadedSnapshot& snapshot) {
  auto state = std::make_unique<TlsState>();
  const fxs::Config& cfg = *snapshot.root().config();
  if (tls_enabled(cfg)) {
    auto set = ContextSet::load(cfg, &TlsManager::on_servername, this);
    if (!set) return make_error("tls: " + set.error().message);
    state->contexts = std::move(set.value());
  }
  return std::unique_ptr<GenerationState>(std::move(state));
}

std::shared_ptr<boost::asio::ssl::context> TlsManager::context() {
  auto set = current_.load(std::memory_order_acquire);
  if (set == nullptr) return nullptr;
  // Aliasing pointer: the caller keeps the whole set alive while it creates its SSL object.
  auto* fallback = &set->fallback();
  return std::shared_ptr<boost::asio::ssl::context>(std::move(set), fallback);
}

void TlsManager::activate(const Generation& generation) {
  const auto* state = static_cast<const core::SiteState&>(*generation.state).extension(slot_);
  const auto* tls = static_cast<const TlsState*>(state);
  if (tls != nullptr && tls->contexts != nullptr) {
    current_.store(tls->contexts, std::memory_order_release);
  }
}

void TlsManager::after_reload(const Generation& current, bool applied) {
  if (!tls_enabled(current.config())) return;
  if (applied) {
    activate(current);
    return;
  }
  auto set = ContextSet::load(current.config(), &TlsManager::on_servername, this);
  if (!set) {
    log::logger().log(log::Level::kError,
                      "tls certificate reload refused; keeping the loaded certificates",
                      {{"reason", set.error().message}});
    return;
  }
  const auto count = static_cast<std::uint64_t>(set.value()->size());
  current_.store(std::move(set.value()), std::memory_order_release);
  log::logger().log(log::Level::kInfo, "tls certificates reloaded", {{"certificates", count}});
}

}  // namespace flux::runtime::tls
