#include "runtime/supervisor/pool_spec.hpp"

#include <algorithm>

#include "snapshot/fxs_generated.h"

namespace flux::runtime::supervisor {
namespace {

std::string str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

template <typename T>
std::optional<T> opt(const flatbuffers::Optional<T>& v) {
  return v.has_value() ? std::optional<T>(*v) : std::nullopt;
}

ProcessManager pm_of(const fxs::Fpm& f) {
  const std::string pm = str(f.process_manager());
  if (pm == "dynamic") return ProcessManager::kDynamic;
  if (pm == "ondemand") return ProcessManager::kOndemand;
  return ProcessManager::kStatic;  // §9.3 default
}

void copy_process_manager(const fxs::Fpm& f, PoolSpec& s) {
  s.pm = pm_of(f);
  s.workers = f.workers();
  s.max_requests_per_worker = f.max_requests_per_worker();
  s.start_servers = opt(f.start_servers());
  s.min_spare_servers = opt(f.min_spare_servers());
  s.max_spare_servers = opt(f.max_spare_servers());
  s.max_spawn_rate = opt(f.max_spawn_rate());
  s.process_idle_timeout_secs = opt(f.process_idle_timeout_secs());
}

void copy_pool_directives(const fxs::Fpm& f, PoolSpec& s) {
  s.listen_backlog = opt(f.listen_backlog());
  s.listen_owner = str(f.listen_owner());
  s.listen_group = str(f.listen_group());
  s.listen_mode = str(f.listen_mode());
  s.request_terminate_timeout_secs = opt(f.request_terminate_timeout_secs());
  s.request_terminate_timeout_track_finished = f.request_terminate_timeout_track_finished();
  s.request_slowlog_timeout_secs = opt(f.request_slowlog_timeout_secs());
  s.request_slowlog_trace_depth = f.request_slowlog_trace_depth();
  s.clear_env = f.clear_env();
  s.catch_workers_output = f.catch_workers_output();
  s.decorate_workers_output = f.decorate_workers_output();
  s.session_save_path = str(f.session_save_path());
  s.upload_tmp_dir = str(f.upload_tmp_dir());
  s.user = str(f.user());
  s.group = str(f.group());
}

PoolSpec spec_of(const fxs::Php& php, const fxs::Fpm& f, const std::string& vhost,
                 const std::string& scope) {
  PoolSpec s;
  s.vhost = vhost;
  s.scope = scope;
  s.label = vhost + "/" + scope;
  s.binary = str(f.php_fpm_binary());
  s.socket_dir = str(f.socket_dir());
  copy_process_manager(f, s);
  copy_pool_directives(f, s);
  if (php.allowed_extensions() != nullptr) {
    for (const auto* e : *php.allowed_extensions()) s.allowed_extensions.push_back(e->str());
  }
  // config-reference.md §8.1: the default extension list.
  if (s.allowed_extensions.empty()) s.allowed_extensions.push_back("php");
  const std::uint64_t timeout = f.connect_timeout_secs().value_or(5);
  s.ready_timeout = std::chrono::seconds(std::clamp<std::uint64_t>(timeout, 1, 60));
  return s;
}

bool is_managed(const fxs::Php* php) {
  return php != nullptr && php->enabled() && php->fpm() != nullptr &&
         php->fpm()->mode() != nullptr && php->fpm()->mode()->string_view() == "managed";
}

}  // namespace

std::vector<PoolSpec> managed_pool_specs(const fxs::Snapshot& snapshot) {
  std::vector<PoolSpec> out;
  const auto* vhosts = snapshot.config()->vhosts();
  if (vhosts == nullptr) return out;
  for (const auto* vh : *vhosts) {
    const std::string vhost = vh->name()->str();
    if (is_managed(vh->php()))
      out.push_back(spec_of(*vh->php(), *vh->php()->fpm(), vhost, "vhost"));
    if (vh->routes() == nullptr) continue;
    for (const auto* route : *vh->routes()) {
      if (!is_managed(route->php())) continue;
      out.push_back(
          spec_of(*route->php(), *route->php()->fpm(), vhost, "route:" + route->name()->str()));
    }
  }
  return out;
}

}  // namespace flux::runtime::supervisor
