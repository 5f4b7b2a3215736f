#pragma once
// Static files for [vhosts.web] / [vhosts.routes.web] / [web] (config-reference.md §7.1).
// Socket-free: returns a Response whose body is an open file range, or declines so the next
// handler of the vhost can take the request (php-behaviour.md §1).

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "runtime/http/request.hpp"
#include "runtime/http/response.hpp"

namespace flux::fxs {
struct Web;
struct Routing;
}  // namespace flux::fxs

namespace flux::runtime::statics {

struct StaticContext {
  const fxs::Web* web = nullptr;
  int root_fd = -1;                            // O_DIRECTORY fd of web.root; -1 = unavailable
  const fxs::Routing* routing = nullptr;       // MIME table
  std::span<const std::string> php_extensions; // lowercased; never served as files
  std::string_view raw_path;                   // the path to serve (after route rewrites)
  // Non-zero: this root's files may come from the per-thread open-file cache. Unique per web
  // table and generation (see core::SiteState::cache_scope).
  std::uint64_t cache_scope = 0;
};

enum class Decline {
  kNone,       // `response` is the answer
  kMissing,    // no such file (or directory without an index)
  kPhpScript,  // the target (or its directory index) is a PHP script: never static
};

struct StaticResult {
  Decline declined = Decline::kNone;
  http::Response response;
};

StaticResult serve_static(const StaticContext& ctx, const http::Request& req);

// An open regular file with its fstat, and its validators when already formatted.
struct FileInfo {
  std::shared_ptr<const http::OpenFile> file;
  struct stat st {};
  std::shared_ptr<const std::string> content;  // the whole file in memory, when cached
  std::string_view etag;           // "" = compute from st
  std::string_view last_modified;  // "" = compute from st
};

struct FileResponseOptions {
  std::string_view content_type;   // "" = no Content-Type header
  std::string_view cache_control;  // "" = none
  std::string_view expires;        // "" = none
};

// The response for an already opened regular file (shared with the response body): ETag,
// Last-Modified, conditional GET/HEAD (304), single Range (206/416). Headers already in `base`
// are kept (X-Accel-Redirect responses keep PHP's headers, php-behaviour.md §11).
http::Response file_response(const http::Request& req, const FileInfo& file,
                             const FileResponseOptions& options, http::Response base);

// The MIME type for a file name from the snapshot table; application/octet-stream otherwise.
std::string_view mime_type_for(const fxs::Routing& routing, std::string_view file_name);

// True when `file_name`'s extension (ASCII case-insensitive) is one of `extensions`.
bool has_extension(std::string_view file_name, std::span<const std::string> extensions);

}  // namespace flux::runtime::statics
