#pragma once
// The script-resolution keys of a PHP block (config-reference.md §8.1), already validated by
// fluxc: extensions are lowercased, prefixes are absolute, the index is a plain .php name.

#include <string>
#include <vector>

namespace flux::runtime::php {

enum class TryFiles { kFrontController, kWordpress, kStrict };
enum class PathInfoMode { kDisabled, kSplit };

struct ScriptConfig {
  std::string index = "index.php";
  std::vector<std::string> allowed_extensions{"php"};
  std::vector<std::string> deny_path_prefixes;
  TryFiles try_files = TryFiles::kFrontController;
  PathInfoMode path_info = PathInfoMode::kDisabled;
};

}  // namespace flux::runtime::php
