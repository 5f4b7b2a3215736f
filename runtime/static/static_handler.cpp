#include "runtime/static/static_handler.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "runtime/http/uri.hpp"
#include "runtime/static/conditional.hpp"
#include "runtime/static/dir_listing.hpp"
#include "runtime/http/http_date.hpp"
#include "runtime/static/open_beneath.hpp"
#include "runtime/static/open_file_cache.hpp"
#include "runtime/static/range.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::statics {
namespace {

using http::Response;

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  int release() { return std::exchange(fd, -1); }
};

std::string lower_extension(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size()) return {};
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
  return ext;
}

bool has_hidden_segment(std::string_view path) {
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i] == '/' && path[i + 1] == '.') return true;
  }
  return false;
}

bool denied_by_prefix(const fxs::Web& web, std::string_view path) {
  if (web.deny_path_prefixes() == nullptr) return false;
  for (const auto* prefix : *web.deny_path_prefixes()) {
    if (http::path_has_prefix(path, prefix->string_view())) return true;
  }
  return false;
}

StaticResult error(unsigned status) { return {Decline::kNone, http::generated_error(status)}; }

StaticResult redirect_to_directory(const http::Request& req, std::string_view normalized) {
  Response r;
  r.status = 301;
  std::string location = http::encode_path(normalized);
  location.push_back('/');
  if (req.has_query) location.append("?").append(req.query);
  r.add("Location", std::move(location));
  r.add("Content-Type", "text/plain; charset=utf-8");
  r.body = "301 moved permanently\n";
  return {Decline::kNone, std::move(r)};
}

StaticResult serve_file(const StaticContext& ctx, const http::Request& req, const FileInfo& file,
                        std::string_view name) {
  if (req.method != "HEAD" && req.method != "GET") {
    Response r = http::generated_error(405);
    r.add("Allow", "GET, HEAD");
    return {Decline::kNone, std::move(r)};
  }
  FileResponseOptions options;
  options.content_type = mime_type_for(*ctx.routing, name);
  options.cache_control = ctx.web->cache_control() ? ctx.web->cache_control()->string_view() : "";
  options.expires = ctx.web->expires() ? ctx.web->expires()->string_view() : "";
  return {Decline::kNone, file_response(req, file, options, Response{})};
}

FileInfo own(Fd& fd, const struct stat& st) {
  return FileInfo{std::make_shared<const http::OpenFile>(fd.release()), st, nullptr, {}, {}};
}

}  // namespace

Response file_response(const http::Request& req, const FileInfo& file,
                       const FileResponseOptions& options, Response r) {
  const struct stat& st = file.st;
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::string etag = file.etag.empty()
                               ? make_etag(size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec)
                               : std::string(file.etag);
  r.omit_body = req.method == "HEAD";
  r.add("Last-Modified", file.last_modified.empty() ? http::format_http_date(st.st_mtim.tv_sec)
                                                    : std::string(file.last_modified));
  r.add("ETag", etag);
  r.add("Accept-Ranges", "bytes");
  if (!options.cache_control.empty()) r.add("Cache-Control", std::string(options.cache_control));
  if (!options.expires.empty()) r.add("Expires", std::string(options.expires));
  const http::Header* inm = req.find("if-none-match");
  const http::Header* ims = req.find("if-modified-since");
  const bool not_modified =
      inm != nullptr ? if_none_match_matches(inm->value, etag)
                     : ims != nullptr && http::parse_http_date(ims->value).value_or(-1) >= st.st_mtim.tv_sec;
  if (not_modified) {
    r.status = 304;  // RFC 9110 §13.1.2: If-None-Match takes precedence over If-Modified-Since
    return r;
  }
  if (!options.content_type.empty()) r.add("Content-Type", std::string(options.content_type));
  ByteRange range;
  if (const http::Header* h = req.find("range")) {
    const http::Header* if_range = req.find("if-range");
    if (if_range == nullptr || if_range_allows(if_range->value, etag, st.st_mtim.tv_sec)) {
      range = parse_range(h->value, size);
    }
  }
  if (range.kind == ByteRange::Kind::kUnsatisfiable) {
    Response bad = http::generated_error(416);
    bad.add("Content-Range", "bytes */" + std::to_string(size));
    return bad;
  }
  std::uint64_t offset = 0;
  std::uint64_t length = size;
  if (range.kind == ByteRange::Kind::kSatisfiable) {
    r.status = 206;
    offset = range.first;
    length = range.length;
    r.add("Content-Range", "bytes " + std::to_string(offset) + "-" +
                               std::to_string(offset + length - 1) + "/" + std::to_string(size));
  }
  r.file = http::FileBody(file.file, offset, length, file.content);
  return r;
}

namespace {

// A directory: its first existing index file, or a listing, or a decline.
StaticResult serve_directory(const StaticContext& ctx, const http::Request& req, Fd& dir,
                             const std::string& normalized) {
  const fxs::Web& web = *ctx.web;
  if (web.index_files() != nullptr) {
    for (const auto* index : *web.index_files()) {
      Fd f;
      if (open_beneath(dir.fd, index->string_view(), &f.fd) != OpenResult::kOk) continue;
      struct stat st {};
      if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) continue;
      if (has_extension(index->string_view(), ctx.php_extensions)) return {Decline::kPhpScript, {}};
      if (!normalized.ends_with('/')) return redirect_to_directory(req, normalized);
      return serve_file(ctx, req, own(f, st), index->string_view());
    }
  }
  if (web.directory_listing() != nullptr && web.directory_listing()->enabled()) {
    if (!normalized.ends_with('/')) return redirect_to_directory(req, normalized);
    return {Decline::kNone, render_listing(dir.fd, normalized, *web.directory_listing())};
  }
  return {Decline::kMissing, {}};
}

}  // namespace

std::string_view mime_type_for(const fxs::Routing& routing, std::string_view file_name) {
  const std::string ext = lower_extension(file_name);
  if (!ext.empty() && routing.mime() != nullptr) {
    if (const auto* entry = routing.mime()->LookupByKey(ext.c_str())) return entry->type()->string_view();
  }
  return "application/octet-stream";
}

bool has_extension(std::string_view file_name, std::span<const std::string> extensions) {
  const std::string ext = lower_extension(file_name);
  return !ext.empty() && std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

StaticResult serve_static(const StaticContext& ctx, const http::Request& req) {
  http::DecodeError why{};
  const auto decoded = http::decode_path_once(ctx.raw_path, &why);
  if (!decoded) return error(400);
  const auto normalized = http::normalize_path(*decoded);
  if (!normalized) return error(400);
  const fxs::Web& web = *ctx.web;
  if (web.deny_dotfiles() && has_hidden_segment(*normalized)) return error(404);
  if (denied_by_prefix(web, *normalized)) return error(403);
  if (ctx.root_fd < 0) return {Decline::kMissing, {}};
  const auto slash = normalized->rfind('/');
  const std::string_view name = std::string_view(*normalized).substr(slash + 1);
  OpenFileCache* cache = ctx.cache_scope != 0 ? &OpenFileCache::for_this_thread() : nullptr;
  if (cache != nullptr && !has_extension(name, ctx.php_extensions)) {
    if (const CachedFile* hit = cache->find(ctx.cache_scope, *normalized)) {
      return serve_file(ctx, req, FileInfo{hit->file, hit->st, hit->content, hit->etag, hit->last_modified}, name);
    }
  }
  const std::string_view relative = std::string_view(*normalized).substr(1);
  Fd target;
  switch (open_beneath(ctx.root_fd, relative, &target.fd)) {
    case OpenResult::kOk: break;
    case OpenResult::kMissing: return {Decline::kMissing, {}};
    case OpenResult::kForbidden: return error(403);
    case OpenResult::kError: return error(500);
  }
  struct stat st {};
  if (::fstat(target.fd, &st) != 0) return error(500);
  if (S_ISDIR(st.st_mode)) return serve_directory(ctx, req, target, *normalized);
  if (!S_ISREG(st.st_mode)) return error(403);
  if (has_extension(name, ctx.php_extensions)) return {Decline::kPhpScript, {}};
  if (normalized->ends_with('/')) return {Decline::kMissing, {}};  // "/file.txt/" is not a file
  if (cache != nullptr) {
    const CachedFile& entry = cache->insert(ctx.cache_scope, *normalized, target.release(), st);
    return serve_file(ctx, req, FileInfo{entry.file, entry.st, entry.content, entry.etag, entry.last_modified}, name);
  }
  return serve_file(ctx, req, own(target, st), name);
}

}  // namespace flux::runtime::statics
