#pragma once
// Wiring of the admin API (cli.md §6.3) to the running process: status from the current
// generation and the managed pools, reload through the control thread's SIGHUP path, purge
// through the cache.

#include <chrono>

#include "runtime/admin/api.hpp"

namespace flux::runtime {
class GenerationHolder;
}
namespace flux::runtime::supervisor {
class Supervisor;
}
namespace flux::runtime::cache {
class CacheLayer;
}

namespace flux::runtime::app {

class Control;

admin::Backend admin_backend(Control& control, const GenerationHolder& generations,
                             const supervisor::Supervisor& pools, cache::CacheLayer& cache,
                             std::chrono::system_clock::time_point started_at);

}  // namespace flux::runtime::app
