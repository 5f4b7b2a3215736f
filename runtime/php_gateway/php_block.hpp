#pragma once
// The runtime object of one PHP block ([vhosts.php] or a route's php action) in one
// generation, built once from the verified snapshot ("construct-or-fail, then immutable"): the
// opened canonical root, the script resolver, param and shaping policy, the in-flight limiter
// and the FastCGI client with its pools.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/fastcgi/client/client.hpp"
#include "runtime/php/params.hpp"
#include "runtime/php/resolver.hpp"
#include "runtime/php/response_shaping.hpp"
#include "runtime/php/status.hpp"
#include "runtime/php_gateway/limiter.hpp"
#include "runtime/snapshot/generation.hpp"
#include "snapshot/result.hpp"

namespace flux::fxs {
struct Php;
}
namespace flux::runtime::metrics {
class Registry;
}

namespace flux::runtime::php_gateway {

struct PhpBlock {
  const fxs::Php* config = nullptr;
  std::string vhost;  // metric label
  std::string scope;  // "vhost" | "route:<name>"
  php::RootDir root;
  php::FpmRoot fpm_root;
  std::unique_ptr<php::ScriptResolver> resolver;
  php::ParamConfig params;
  php::ShapingConfig shaping;
  php::InterceptConfig intercept;
  std::vector<std::string> allowed_extensions;
  std::vector<std::string> failure_patterns;
  std::vector<std::string> methods;
  std::string allow_header;  // methods joined by ", "
  std::chrono::seconds request_timeout{30};
  std::chrono::milliseconds queue_timeout{1000};
  std::shared_ptr<Limiter> limiter;
  std::unique_ptr<fastcgi::Client> client;
  std::uint64_t cache_scope = 0;  // unique per block across generations (ResolutionCache)
};

// Resolves a managed pool's private socket: (vhost name, scope) -> socket path.
using ManagedSockets = std::function<std::optional<std::string>(const std::string& vhost,
                                                                const std::string& scope)>;

Result<std::unique_ptr<PhpBlock>> build_php_block(const fxs::Php& php, const std::string& vhost,
                                                  const std::string& scope,
                                                  const ManagedSockets& managed,
                                                  metrics::Registry& metrics);

// Every PHP block of a generation, found by the address of its table in the snapshot.
class PhpGenerationState final : public GenerationState {
 public:
  void add(const fxs::Php* key, std::unique_ptr<PhpBlock> block) {
    blocks_.emplace(key, std::move(block));
  }
  const PhpBlock* find(const fxs::Php* key) const {
    const auto it = blocks_.find(key);
    return it == blocks_.end() ? nullptr : it->second.get();
  }
  void retire() const override;

 private:
  std::unordered_map<const fxs::Php*, std::unique_ptr<PhpBlock>> blocks_;
};

}  // namespace flux::runtime::php_gateway
