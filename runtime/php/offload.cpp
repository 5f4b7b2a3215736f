#include "runtime/php/offload.hpp"

#include <fcntl.h>

#include <optional>
#include <vector>

#include "runtime/php/script_name.hpp"
#include "runtime/php/segment.hpp"
#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

OffloadTarget verdict(OffloadVerdict v, std::string_view reason) {
  OffloadTarget t;
  t.verdict = v;
  t.reason = reason;
  return t;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const std::size_t at = s.find(sep);
    const std::string_view part = s.substr(0, at);
    if (!part.empty() && part != ".") out.emplace_back(part);
    s.remove_prefix(at == std::string_view::npos ? s.size() : at + 1);
  }
  return out;
}

// X-Accel-Redirect: a URI under php.root; "?query" ignored; decoded once with §3.3 rules.
OffloadTarget accel_components(std::string_view target, std::vector<std::string>& out) {
  if (target.empty() || target.front() != '/' || contains_ctl(target)) {
    return verdict(OffloadVerdict::kBadGateway,
                   "php X-Accel-Redirect target contains control characters");
  }
  const std::optional<std::string> decoded = percent_decode(target.substr(0, target.find('?')));
  if (!decoded || !is_valid_utf8(*decoded) || contains_ctl(*decoded)) {
    return verdict(OffloadVerdict::kForbidden, "php X-Accel-Redirect target is not a valid path");
  }
  out = split(*decoded, '/');
  for (const std::string& seg : out) {
    if (!is_valid_segment(seg, HiddenSegments::kReject)) {
      return verdict(OffloadVerdict::kForbidden, "php X-Accel-Redirect target is not a valid path");
    }
  }
  return verdict(OffloadVerdict::kServe, {});
}

// X-Sendfile: an absolute php-fpm path under fpm_root, mapped onto php.root.
OffloadTarget sendfile_components(std::string_view target, const FpmRoot& fpm_root,
                                  std::vector<std::string>& out) {
  if (contains_ctl(target)) {
    return verdict(OffloadVerdict::kBadGateway,
                   "php X-Sendfile target contains control characters");
  }
  std::string_view base = fpm_root.path;
  while (base.size() > 1 && base.back() == fpm_root.separator) base.remove_suffix(1);
  const bool under = target.starts_with(base) &&
                     (target.size() == base.size() || base.back() == fpm_root.separator ||
                      target[base.size()] == fpm_root.separator);
  if (base.empty() || !under) {
    return verdict(OffloadVerdict::kForbidden, "php X-Sendfile target is outside php.fpm_root");
  }
  out = split(target.substr(base.size()), fpm_root.separator);
  for (const std::string& seg : out) {
    if (seg == "..") {
      return verdict(OffloadVerdict::kForbidden, "php X-Sendfile target escapes php root");
    }
  }
  return verdict(OffloadVerdict::kServe, {});
}

// A non-empty extension that is not a script extension: "app.PHP", "wp-config", "file." fail.
bool is_static_name(std::string_view name, std::span<const std::string> allowed) {
  return !extension_of(name).empty() && !has_allowed_extension(name, allowed);
}

// Opens the checked object for reading without following a swapped-in link: through its
// /proc/self/fd entry, else by path with an inode comparison.
UniqueFd reopen_readonly(const LookupResult& hit, const std::string& path) {
  const std::string proc = "/proc/self/fd/" + std::to_string(hit.fd.get());
  int fd = ::open(proc.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  UniqueFd owned(fd);
  struct stat st {};
  if (!owned.valid() || ::fstat(owned.get(), &st) != 0 || st.st_dev != hit.st.st_dev ||
      st.st_ino != hit.st.st_ino) {
    return UniqueFd();
  }
  return owned;
}

}  // namespace

OffloadTarget validate_offload(const RootDir& root, const FpmRoot& fpm_root,
                               std::span<const std::string> allowed_extensions,
                               const OffloadRequest& request, LookupMethod method) {
  std::vector<std::string> components;
  OffloadTarget check = request.kind == OffloadKind::kAccelRedirect
                            ? accel_components(request.target, components)
                            : sendfile_components(request.target, fpm_root, components);
  if (check.verdict != OffloadVerdict::kServe) return check;
  if (components.empty() || !is_static_name(components.back(), allowed_extensions)) {
    return verdict(OffloadVerdict::kForbidden, "php offload target is not a static file");
  }
  LookupResult hit = lookup_beneath(root, components, method);
  if (hit.status == LookupStatus::kNotFound) return verdict(OffloadVerdict::kNotFound, "missing");
  if (hit.status == LookupStatus::kIoError) return verdict(OffloadVerdict::kInternalError, "I/O");
  if (hit.status != LookupStatus::kOk || !S_ISREG(hit.st.st_mode) || hit.canonical.empty() ||
      !is_static_name(hit.canonical.back(), allowed_extensions)) {
    return verdict(OffloadVerdict::kForbidden, "php offload target is not a static file");
  }
  OffloadTarget t = verdict(OffloadVerdict::kServe, "offload");
  t.local_path = absolute_path(root, hit.canonical);
  t.file = reopen_readonly(hit, t.local_path);
  if (!t.file.valid()) return verdict(OffloadVerdict::kInternalError, "php offload reopen failed");
  t.st = hit.st;
  return t;
}

}  // namespace flux::runtime::php
