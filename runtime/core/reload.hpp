#pragma once
// SIGHUP / admin reload (php-behaviour.md §15): read and verify the snapshot file, classify it
// against the running generation, then swap atomically or refuse. Never throws, never exits.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace flux::runtime {
class GenerationHolder;
}
namespace flux::runtime::metrics {
class Registry;
}

namespace flux::runtime::core {

enum class ReloadResult { kApplied, kUnchanged, kRefusedProcessUpgrade, kInvalid, kIoError };

struct ReloadOutcome {
  ReloadResult result = ReloadResult::kInvalid;
  std::uint64_t generation = 0;
  std::vector<std::string> keys;  // process-upgrade keys that changed
  std::string reason;
  std::string running_hash;
  std::string candidate_hash;
  std::size_t changes = 0;
};

class ExtensionFactory;

ReloadOutcome reload_snapshot(GenerationHolder& generations, const std::string& path,
                              metrics::Registry& metrics,
                              std::span<ExtensionFactory* const> factories);

}  // namespace flux::runtime::core
