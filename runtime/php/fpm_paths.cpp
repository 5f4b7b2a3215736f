#include "runtime/php/fpm_paths.hpp"

#include "runtime/php/root_dir.hpp"
#include "runtime/php/segment.hpp"
#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

void append_component(std::string& out, char separator, std::string_view component) {
  if (out.empty() || out.back() != separator) out.push_back(separator);
  out.append(component);
}

}  // namespace

FpmRoot make_fpm_root(const std::optional<std::string>& configured,
                      const std::string& canonical_root) {
  FpmRoot r;
  if (!configured) {
    r.path = canonical_root;
  } else {
    const std::string local = canonical_path(*configured);
    r.path = local.empty() ? *configured : local;
  }
  const bool backslash = r.path.find('\\') != std::string::npos;
  const bool slash = r.path.find('/') != std::string::npos;
  r.separator = backslash && !slash ? '\\' : '/';
  return r;
}

bool is_safe_document_root(const FpmRoot& root) {
  return !root.path.empty() && is_valid_utf8(root.path) && !contains_ctl(root.path);
}

std::optional<std::string> map_script_filename(const FpmRoot& root,
                                               std::span<const std::string> components) {
  if (!is_safe_document_root(root)) return std::nullopt;
  std::string out = root.path;
  for (const std::string& c : components) {
    if (!is_valid_segment(c, HiddenSegments::kAllow)) return std::nullopt;
    append_component(out, root.separator, c);
  }
  return out;
}

std::optional<std::string> map_path_translated(const FpmRoot& root, std::string_view path_info) {
  if (!is_safe_document_root(root) || path_info.empty() || path_info.front() != '/') {
    return std::nullopt;
  }
  std::string out = root.path;
  std::string_view rest = path_info.substr(1);
  for (;;) {
    const std::size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    if (!is_valid_segment(seg, HiddenSegments::kReject)) return std::nullopt;
    append_component(out, root.separator, seg);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace flux::runtime::php
