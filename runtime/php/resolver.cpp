#include "runtime/php/resolver.hpp"

#include <sys/stat.h>

#include "runtime/php/script_name.hpp"

namespace flux::runtime::php {
namespace {

Resolution make(ResolveKind kind, std::string_view reason) {
  Resolution r;
  r.kind = kind;
  r.reason = reason;
  return r;
}

Resolution from_lookup_failure(LookupStatus s) {
  switch (s) {
    case LookupStatus::kNotFound:
      return make(ResolveKind::kNotFound, "script not found");
    case LookupStatus::kSymlinkEscape:
      return make(ResolveKind::kForbidden, "symlink escape");
    case LookupStatus::kHidden:
      return make(ResolveKind::kForbidden, "hidden path segment");
    case LookupStatus::kTooManyLinks:
      return make(ResolveKind::kForbidden, "symlink loop");
    case LookupStatus::kAccessDenied:
      return make(ResolveKind::kForbidden, "permission denied");
    case LookupStatus::kOk:
    case LookupStatus::kIoError:
      break;
  }
  return make(ResolveKind::kInternalError, "I/O error during script resolution");
}

std::string_view parse_reason(ParseError e) {
  switch (e) {
    case ParseError::kBadPercentEncoding:
      return "invalid percent-encoding";
    case ParseError::kInvalidUtf8:
      return "path is not valid UTF-8";
    case ParseError::kNotAbsolute:
      return "path is not absolute";
    case ParseError::kControlCharacter:
      return "control character in path";
    case ParseError::kInvalidSegment:
      return "invalid path segment";
    case ParseError::kPathInfoDisabled:
      return "PATH_INFO is disabled";
    case ParseError::kNone:
      break;
  }
  return "invalid path";
}

bool is_regular(const LookupResult& r) { return S_ISREG(r.st.st_mode); }

void append_header_safe(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

std::string directory_redirect_location(std::string_view raw_path, std::string_view raw_query) {
  // §3.4: never protocol-relative, so "//evil.example/x" becomes "/evil.example/x/".
  while (!raw_path.empty() && raw_path.front() == '/') raw_path.remove_prefix(1);
  std::string out = "/";
  append_header_safe(out, raw_path);
  out.push_back('/');
  if (!raw_query.empty()) {
    out.push_back('?');
    append_header_safe(out, raw_query);
  }
  return out;
}

Resolution ScriptResolver::resolve(std::string_view raw_path, std::string_view raw_query) const {
  const ParseResult parsed = parse_script_path(raw_path, config_);  // §3.2 step 1
  if (!parsed.ok()) return make(ResolveKind::kForbidden, parse_reason(parsed.error));
  const ParsedPath& p = parsed.path;
  if (is_denied(p.script_name, config_.deny_path_prefixes)) {  // step 2
    return make(ResolveKind::kForbidden, "denied path prefix");
  }
  if (p.explicit_script) {  // step 4 for an explicit script
    std::vector<std::string> script(p.segments.begin(),
                                    p.segments.begin() + static_cast<long>(p.script_segments));
    return resolve_script(std::move(script), p.script_name, p.path_info);
  }
  bool handled = false;  // step 3
  Resolution r = resolve_raw_path(p.segments, raw_path, raw_query, handled);
  if (handled) return r;
  if (config_.try_files == TryFiles::kStrict) {
    return make(ResolveKind::kNotFound, "no script (try_files strict)");
  }
  return resolve_script({config_.index}, p.script_name, {});  // step 4: front controller
}

// §3.2 step 3a. `handled` stays false for "missing, or a directory without an index".
Resolution ScriptResolver::resolve_raw_path(const std::vector<std::string>& segments,
                                            std::string_view raw_path, std::string_view raw_query,
                                            bool& handled) const {
  LookupResult hit = lookup_beneath(root_, segments, method_);
  const bool dir_index = hit.status == LookupStatus::kOk && S_ISDIR(hit.st.st_mode);
  // "/file/" names a directory that does not exist (ENOTDIR), as the trailing '/' demands.
  if (hit.status == LookupStatus::kNotFound) return {};
  if (hit.status == LookupStatus::kOk && !dir_index && raw_path.ends_with('/')) return {};
  handled = true;
  if (hit.status != LookupStatus::kOk) return from_lookup_failure(hit.status);
  std::vector<std::string> script = segments;
  if (dir_index) {
    script.push_back(config_.index);
    hit = lookup_beneath(root_, script, method_);
    if (hit.status == LookupStatus::kNotFound ||
        (hit.status == LookupStatus::kOk && !is_regular(hit))) {
      handled = false;
      return {};
    }
    if (hit.status != LookupStatus::kOk) return from_lookup_failure(hit.status);
  } else if (!is_regular(hit)) {
    return make(ResolveKind::kForbidden, "not a regular file");
  }
  const bool name_php = has_allowed_extension(script.back(), config_.allowed_extensions);
  const bool canonical_php =
      !hit.canonical.empty() &&
      has_allowed_extension(hit.canonical.back(), config_.allowed_extensions);
  if (!name_php && !canonical_php) return make(ResolveKind::kDecline, "existing non-PHP file");
  // A symlink that turns a static name into a script (or back) is neither served nor run.
  if (name_php != canonical_php) return make(ResolveKind::kForbidden, "symlink changes file type");
  if (dir_index && !segments.empty() && !raw_path.ends_with('/') &&
      raw_path.find('\\') == std::string_view::npos) {
    Resolution r = make(ResolveKind::kRedirect, "directory slash redirect");
    r.location = directory_redirect_location(raw_path, raw_query);
    return r;
  }
  return execute(join_path(script), {}, std::move(hit));
}

// §3.2 step 4.
Resolution ScriptResolver::resolve_script(std::vector<std::string> components,
                                          std::string script_name, std::string path_info) const {
  LookupResult hit = lookup_beneath(root_, components, method_);
  if (hit.status != LookupStatus::kOk) return from_lookup_failure(hit.status);
  if (!is_regular(hit)) return make(ResolveKind::kForbidden, "script is not a regular file");
  return execute(std::move(script_name), std::move(path_info), std::move(hit));
}

// §3.2 step 5 and §4: the canonical file must still be a script and not denied.
Resolution ScriptResolver::execute(std::string script_name, std::string path_info,
                                   LookupResult file) const {
  if (file.canonical.empty() ||
      !has_allowed_extension(file.canonical.back(), config_.allowed_extensions)) {
    return make(ResolveKind::kForbidden, "script extension not allowed");
  }
  if (denied(script_name, file.canonical))
    return make(ResolveKind::kForbidden, "denied path prefix");
  std::optional<std::string> filename = map_script_filename(fpm_root_, file.canonical);
  if (!filename) return make(ResolveKind::kBadRequest, "unsafe SCRIPT_FILENAME");
  Resolution r = make(ResolveKind::kExecute, "execute");
  if (!path_info.empty()) {
    std::optional<std::string> translated = map_path_translated(fpm_root_, path_info);
    if (!translated) return make(ResolveKind::kBadRequest, "unsafe PATH_TRANSLATED");
    r.script.path_translated = std::move(*translated);
  }
  r.script.script_name = std::move(script_name);
  r.script.local_path = absolute_path(root_, file.canonical);
  r.script.canonical = std::move(file.canonical);
  r.script.script_filename = std::move(*filename);
  r.script.document_root = fpm_root_.path;
  r.script.path_info = std::move(path_info);
  return r;
}

bool ScriptResolver::denied(std::string_view script_name,
                            const std::vector<std::string>& canonical) const {
  return is_denied(script_name, config_.deny_path_prefixes) ||
         is_denied(join_path(canonical), config_.deny_path_prefixes);
}

}  // namespace flux::runtime::php
