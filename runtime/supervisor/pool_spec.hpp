#pragma once
// The settings of one managed php-fpm pool (config-reference.md §9.3) as plain data, copied out
// of the snapshot once at start-up, so the renderer and the supervisor never touch FlatBuffers
// and the pool outlives every snapshot generation (php-behaviour.md §14: pools survive
// snapshot-safe reloads unchanged).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flux::fxs {
struct Snapshot;
}

namespace flux::runtime::supervisor {

enum class ProcessManager { kStatic, kDynamic, kOndemand };

struct PoolSpec {
  std::string vhost;  // identity of the PHP block: (vhost, scope), php-behaviour.md §14
  std::string scope;  // "vhost" | "route:<name>"
  std::string label;  // "<vhost>/<scope>": metric label and the name in messages

  std::string binary;
  std::string socket_dir;
  ProcessManager pm = ProcessManager::kStatic;
  std::uint32_t workers = 4;
  std::uint32_t max_requests_per_worker = 1000;
  std::optional<std::uint32_t> start_servers;
  std::optional<std::uint32_t> min_spare_servers;
  std::optional<std::uint32_t> max_spare_servers;
  std::optional<std::uint32_t> max_spawn_rate;
  std::optional<std::uint64_t> process_idle_timeout_secs;
  std::optional<std::int32_t> listen_backlog;
  std::string listen_owner;  // "" = unset
  std::string listen_group;
  std::string listen_mode;  // "" = unset (rendered as 0600)
  std::optional<std::uint64_t> request_terminate_timeout_secs;
  bool request_terminate_timeout_track_finished = false;
  std::optional<std::uint64_t> request_slowlog_timeout_secs;
  std::uint32_t request_slowlog_trace_depth = 20;
  bool clear_env = true;
  bool catch_workers_output = true;
  bool decorate_workers_output = true;
  std::string session_save_path;  // "" = unset
  std::string upload_tmp_dir;     // "" = unset
  std::string user;               // "" = unset
  std::string group;
  std::vector<std::string> allowed_extensions;  // php.allowed_extensions, without dots

  // php-behaviour.md §14.4: connect_timeout_secs (default 5) clamped to 1..=60.
  std::chrono::seconds ready_timeout{5};
};

// Every enabled PHP block with fpm.mode = "managed", in snapshot order (vhosts, then each
// vhost's routes).
std::vector<PoolSpec> managed_pool_specs(const fxs::Snapshot& snapshot);

}  // namespace flux::runtime::supervisor
