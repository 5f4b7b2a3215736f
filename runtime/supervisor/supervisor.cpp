#include "runtime/supervisor/supervisor.hpp"

#include "runtime/supervisor/fs_safety.hpp"
#include "runtime/supervisor/privileges.hpp"

namespace flux::runtime::supervisor {

Result<void> check_managed_pools(const fxs::Snapshot& snapshot) {
  const Identity self = current_identity();
  for (const auto& spec : managed_pool_specs(snapshot)) {
    if (auto r = check_privileges(spec, self); !r) return r;
    if (auto r = check_binary(spec.binary); !r) {
      return make_error("managed php-fpm pool `" + spec.label + "`: php_fpm_binary " +
                        r.error().message);
    }
  }
  return {};
}

Result<void> Supervisor::start_all(const fxs::Snapshot& snapshot) {
  if (auto r = check_managed_pools(snapshot); !r) return r;
  for (auto& spec : managed_pool_specs(snapshot)) {
    auto pool = ManagedPool::start(std::move(spec), metrics_);
    if (!pool) {
      stop_all();
      return pool.error();
    }
    pools_.push_back(std::move(pool.value()));
  }
  return {};
}

std::optional<std::string> Supervisor::socket_for(const std::string& vhost,
                                                  const std::string& scope) const {
  for (const auto& pool : pools_) {
    if (pool->spec().vhost == vhost && pool->spec().scope == scope) return pool->socket_path();
  }
  return std::nullopt;
}

void Supervisor::stop_all() {
  for (auto& pool : pools_) pool->stop();
  pools_.clear();
}

}  // namespace flux::runtime::supervisor
