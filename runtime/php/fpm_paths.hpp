#pragma once
// Paths sent to php-fpm (php-behaviour.md §4): SCRIPT_FILENAME, DOCUMENT_ROOT and
// PATH_TRANSLATED are built component by component under fpm_root, never by concatenating the
// request path.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace flux::runtime::php {

struct FpmRoot {
  std::string path;      // DOCUMENT_ROOT
  char separator = '/';  // '\\' when the path has '\\' and no '/' (php-fpm on Windows)
};

// `php.fpm_root` if set (canonicalized when it exists locally, else as written), else the
// canonical root. Runs realpath(3), so call it once per generation.
FpmRoot make_fpm_root(const std::optional<std::string>& configured,
                      const std::string& canonical_root);

// DOCUMENT_ROOT must be valid UTF-8 without control characters.
bool is_safe_document_root(const FpmRoot& root);

// fpm_root + the canonical components below the root; each must be a valid segment (hidden
// allowed). nullopt when one is not, or the root is unsafe (§2 step 7: 400).
std::optional<std::string> map_script_filename(const FpmRoot& root,
                                               std::span<const std::string> components);

// fpm_root + each PATH_INFO segment; hidden or empty segments give nullopt (§4: 400).
std::optional<std::string> map_path_translated(const FpmRoot& root, std::string_view path_info);

}  // namespace flux::runtime::php
