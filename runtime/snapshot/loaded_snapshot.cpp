#include "runtime/snapshot/loaded_snapshot.hpp"

namespace flux::runtime {

std::shared_ptr<const LoadedSnapshot> load_snapshot(const std::string& path, LoadError& error) {
  bool missing = false;
  auto mapped = MappedFile::open(path, &missing);
  if (!mapped) {
    error = {missing ? LoadFailure::kNoInput : LoadFailure::kInvalid,
             "cannot read snapshot: " + mapped.error().message};
    return nullptr;
  }
  auto loaded = std::make_shared<LoadedSnapshot>();
  loaded->path = path;
  loaded->file = std::move(mapped.value());
  auto verified = snapshot::verify(loaded->file.bytes());
  if (!verified) {
    error = {LoadFailure::kInvalid, verified.error().message};
    return nullptr;
  }
  loaded->verified = std::move(verified.value());
  return loaded;
}

}  // namespace flux::runtime
