#pragma once
// The reload classifier (config-reference.md §0.4, §13; cli.md §5): compares the effective
// values of two verified snapshots and classifies every change. `fluxc diff` prints the result;
// the runtime calls the same function on SIGHUP and refuses any process-upgrade change.

#include <string>
#include <vector>

#include "snapshot/directive_table.hpp"

namespace flux::fxs {
struct Snapshot;
}

namespace flux::snapshot {

struct Change {
  char op = '~';  // '~' changed, '+' added, '-' removed
  std::string
      key_path;  // vhosts["a"].php.max_in_flight; a suffix " (managed pool)" is not part of it
  std::string old_json;  // "null" for '+'
  std::string new_json;  // "null" for '-'
  ReloadClass reload = ReloadClass::SnapshotSafe;
  std::string note;  // "managed pool", "reordered routes", ... (may be empty)
};

enum class DiffResult : std::uint8_t { None, SnapshotSafe, ProcessUpgrade };

struct Classification {
  std::vector<Change> changes;  // in schema order; vhosts and routes matched by name
  DiffResult result = DiffResult::None;
  std::size_t snapshot_safe = 0;
  std::size_t process_upgrade = 0;
};

// Both roots must come from snapshot::verify().
Classification classify(const fxs::Snapshot& old_snapshot, const fxs::Snapshot& new_snapshot);

std::string_view diff_result_name(DiffResult r);  // "none" | "snapshot-safe" | "process-upgrade"

}  // namespace flux::snapshot
