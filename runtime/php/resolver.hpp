#pragma once
// Script resolution (php-behaviour.md §3.2): request path -> execute / decline / 308 /
// 404 / 403 / 500, against the real filesystem under the canonical root. Synchronous
// stat/open only; no sockets.

#include <string>
#include <string_view>
#include <vector>

#include "runtime/php/fpm_paths.hpp"
#include "runtime/php/fs_lookup.hpp"
#include "runtime/php/root_dir.hpp"
#include "runtime/php/script_config.hpp"
#include "runtime/php/script_target.hpp"

namespace flux::runtime::php {

enum class ResolveKind {
  kExecute,
  kDecline,        // an existing non-PHP file: the next handler gets it (§1.4)
  kRedirect,       // 308 to the directory with a trailing slash (§3.4)
  kNotFound,       // 404
  kForbidden,      // 403
  kBadRequest,     // 400: a derived path is not param-safe (§2 step 7, §4)
  kInternalError,  // 500: an I/O error
};

struct Resolution {
  ResolveKind kind = ResolveKind::kInternalError;
  ScriptTarget script;      // kExecute
  std::string location;     // kRedirect: the Location value
  std::string_view reason;  // short text for the log line
};

// Built once per snapshot generation; `root` must outlive it. resolve() is const and may run
// on any thread.
class ScriptResolver {
 public:
  ScriptResolver(const RootDir& root, ScriptConfig config, FpmRoot fpm_root,
                 LookupMethod method = LookupMethod::kAuto)
      : root_(root), config_(std::move(config)), fpm_root_(std::move(fpm_root)), method_(method) {}

  // `raw_path` and `raw_query` are the request target's parts as received (no '?').
  Resolution resolve(std::string_view raw_path, std::string_view raw_query) const;

  const FpmRoot& fpm_root() const { return fpm_root_; }

 private:
  Resolution resolve_raw_path(const std::vector<std::string>& segments, std::string_view raw_path,
                              std::string_view raw_query, bool& handled) const;
  Resolution resolve_script(std::vector<std::string> components, std::string script_name,
                            std::string path_info) const;
  Resolution execute(std::string script_name, std::string path_info, LookupResult file) const;
  bool denied(std::string_view script_name, const std::vector<std::string>& canonical) const;

  const RootDir& root_;
  ScriptConfig config_;
  FpmRoot fpm_root_;
  LookupMethod method_;
};

// §3.4 Location: the raw path with leading slashes collapsed to one, a '/' appended, and
// '?' + query when the query is non-empty; bytes that may not appear in a header are
// percent-encoded.
std::string directory_redirect_location(std::string_view raw_path, std::string_view raw_query);

}  // namespace flux::runtime::php
