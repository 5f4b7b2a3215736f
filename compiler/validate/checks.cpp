#include "compiler/validate/checks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string>

namespace flux::compiler {

bool has_ctl(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool is_valid_path_segment(std::string_view seg) {
  if (seg.empty() || seg == "." || seg == ".." || seg.front() == '.') return false;
  if (seg.back() == '.' || seg.back() == ' ') return false;
  if (seg.find_first_of("/\\:") != std::string_view::npos || has_ctl(seg)) return false;
  std::string stem(seg.substr(0, seg.find('.')));
  std::transform(stem.begin(), stem.end(), stem.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  constexpr std::array<std::string_view, 6> kDevices = {"CON", "PRN",    "AUX",
                                                        "NUL", "CONIN$", "CONOUT$"};
  if (std::find(kDevices.begin(), kDevices.end(), stem) != kDevices.end()) return false;
  if (stem.size() >= 4 && (stem.starts_with("COM") || stem.starts_with("LPT"))) {
    const std::string_view rest = std::string_view(stem).substr(3);
    const bool digit = rest.size() == 1 && rest[0] >= '1' && rest[0] <= '9';
    const bool superscript =
        rest == "\xC2\xB9" || rest == "\xC2\xB2" || rest == "\xC2\xB3";  // ¹ ² ³
    if (digit || superscript) return false;
  }
  return true;
}

bool trusted_parent(const std::string& dir, const std::string& child) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) == 0) return true;
  // Same trust rule as the runtime (runtime/supervisor/fs_safety.cpp): a sticky directory such as
  // /tmp is fine when the entry below it does not exist yet or belongs to root or to us.
  if ((st.st_mode & S_ISVTX) == 0) return false;
  struct stat cst {};
  if (::lstat(child.c_str(), &cst) != 0) return true;
  return cst.st_uid == 0 || cst.st_uid == ::geteuid();
}

std::string writable_dir_or_ancestor(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) return dir;
  std::string child = dir;
  while (child != "/" && !child.empty()) {
    const auto slash = child.find_last_of('/');
    const std::string parent =
        slash == 0 || slash == std::string::npos ? "/" : child.substr(0, slash);
    if (!trusted_parent(parent, child)) return parent;
    child = parent;
  }
  return "";
}

bool is_blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

bool is_clean_request_path(std::string_view p) {
  if (p.empty() || p.front() != '/' || has_ctl(p)) return false;
  if (p.find_first_of("\\?#") != std::string_view::npos) return false;
  std::size_t start = 1;
  while (start <= p.size()) {
    const std::size_t slash = p.find('/', start);
    const std::string_view seg =
        p.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

bool is_method_token(std::string_view m) {
  if (m.empty() || m.size() > 32) return false;
  for (char c : m) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

const std::vector<ir::Value>& items_of(const TableCtx& t, std::string_view key) {
  static const std::vector<ir::Value> kEmpty;
  const ir::Value* v = t.get(key);
  return v != nullptr ? v->items : kEmpty;
}

void item_error(TableCtx& t, Code code, std::string_view key, std::size_t i,
                std::string_view reason) {
  t.failed.emplace(key);
  const auto& items = items_of(t, key);
  const ir::Origin& o = i < items.size() ? items[i].origin : t.origin(key);
  t.ctx.report(code, index_path(t.key_path(key), i),
               field_name(t.type, key) + ": " + std::string(reason), o);
}

// §7 / §7.4: required, not blank, at most 128 bytes.
void check_name(TableCtx& t, Code code, std::string_view what) {
  if (!t.get("name")) {
    t.error_field(Code::FX0102, "name", "", "missing required key `name`");
  } else if (is_blank(t.str("name"))) {
    t.error_field(code, "name", "", std::string(what) + " name must not be blank");
  } else if (t.str("name").size() > 128) {
    t.error_field(code, "name", "", std::string(what) + " name must be at most 128 bytes");
  }
}

}  // namespace flux::compiler
