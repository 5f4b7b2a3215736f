#pragma once
// The script chosen by resolution (php-behaviour.md §3.2) with the paths of §4.

#include <string>
#include <vector>

namespace flux::runtime::php {

struct ScriptTarget {
  std::string script_name;             // SCRIPT_NAME / DOCUMENT_URI, e.g. "/blog/index.php"
  std::string local_path;              // canonical absolute path of the executed file
  std::vector<std::string> canonical;  // its components below the canonical root
  std::string script_filename;         // SCRIPT_FILENAME (§4)
  std::string document_root;           // DOCUMENT_ROOT: fpm_root (§4)
  std::string path_info;               // "" or "/x/y"
  std::string path_translated;         // only when path_info is non-empty (§4)
};

}  // namespace flux::runtime::php
