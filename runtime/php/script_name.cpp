#include "runtime/php/script_name.hpp"

#include <optional>

#include "runtime/php/segment.hpp"
#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

// §3.1 steps 1-3: decode once, validate, split.
ParseError split_segments(std::string_view raw_path, std::vector<std::string>& out) {
  const std::optional<std::string> decoded = percent_decode(raw_path);
  if (!decoded) return ParseError::kBadPercentEncoding;
  if (!is_valid_utf8(*decoded)) return ParseError::kInvalidUtf8;
  if (decoded->empty() || decoded->front() != '/') return ParseError::kNotAbsolute;
  if (contains_ctl(*decoded)) return ParseError::kControlCharacter;
  std::string_view rest(*decoded);
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (!is_valid_segment(seg, HiddenSegments::kReject)) return ParseError::kInvalidSegment;
    out.emplace_back(seg);
  }
  return ParseError::kNone;
}

}  // namespace

bool has_allowed_extension(std::string_view name, std::span<const std::string> allowed) {
  const std::string_view ext = extension_of(name);
  if (ext.empty()) return false;
  for (const std::string& a : allowed) {
    if (iequals(ext, a)) return true;
  }
  return false;
}

std::string join_path(std::span<const std::string> segments) {
  if (segments.empty()) return "/";
  std::string out;
  for (const std::string& s : segments) {
    out.push_back('/');
    out.append(s);
  }
  return out;
}

ParseResult parse_script_path(std::string_view raw_path, const ScriptConfig& config) {
  ParseResult r;
  r.error = split_segments(raw_path, r.path.segments);
  if (!r.ok()) return r;
  const std::vector<std::string>& segs = r.path.segments;
  // §3.1 step 4: the FIRST segment with an allowed extension ends the script name.
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (!has_allowed_extension(segs[i], config.allowed_extensions)) continue;
    const std::span<const std::string> all(segs);
    r.path.script_name = join_path(all.first(i + 1));
    if (i + 1 < segs.size()) {
      if (config.path_info == PathInfoMode::kDisabled) {
        r.error = ParseError::kPathInfoDisabled;
        return r;
      }
      r.path.path_info = join_path(all.subspan(i + 1));
    }
    r.path.explicit_script = true;
    r.path.script_segments = i + 1;
    return r;
  }
  // §3.1 step 5: the front controller.
  r.path.script_name = "/" + config.index;
  return r;
}

bool is_denied(std::string_view script_name, std::span<const std::string> prefixes) {
  for (const std::string& p : prefixes) {
    if (p.empty() || !script_name.starts_with(p)) continue;
    if (script_name.size() == p.size() || p.back() == '/' || script_name[p.size()] == '/') {
      return true;
    }
  }
  return false;
}

}  // namespace flux::runtime::php
