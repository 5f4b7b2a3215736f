// [vhosts.php] / [vhosts.routes.php] (config-reference.md §8). Rules run only when the block is
// enabled, in the order of §8 "Validation order"; a key's later rules are skipped once one fails.

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/convert.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {
namespace {

constexpr std::uint64_t kMiB = 1ULL << 20;

bool writable_by_group_or_world(const std::string& dir) {
  struct stat st {};
  return ::stat(dir.c_str(), &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

std::string parent_dir(const std::string& p) {
  const auto slash = p.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : p.substr(0, slash);
}

void check_root(TableCtx& t) {
  if (!t.get("root")) {
    if (t.ok("root")) t.error(Code::FX0102, "root", "enabled PHP requires a root");
    return;
  }
  if (!t.ok("root") || !t.ctx.options().host_checks) return;
  const std::string root(t.str("root"));
  if (writable_by_group_or_world(parent_dir(root))) {
    t.error_field(Code::FX0306, "root", "",
                  "unsafe path `" + root + "` for " + table_display(t.key_path("root")) +
                      ": parent directory is group/world-writable");
    return;
  }
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0) {
    t.warn(
        Code::FX0901, "root",
        "php.root `" + root +
            "` does not exist on this host; is php-fpm in another mount namespace? use fpm_root");
  }
}

void check_fpm_root(TableCtx& t) {
  if (t.given("fpm_root") && t.ok("fpm_root") && has_ctl(t.str("fpm_root"))) {
    t.error(Code::FX0501, "fpm_root", "fpm_root must be valid UTF-8 with no control characters");
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void check_extensions(TableCtx& t) {
  ir::Value* exts = t.table.get("allowed_extensions");
  if (exts == nullptr || !t.ok("allowed_extensions")) return;
  if (exts->items.empty())
    return (void)t.error(Code::FX0503, "allowed_extensions", "at least one extension is required");
  if (exts->items.size() > 16)
    return (void)t.error(Code::FX0503, "allowed_extensions", "at most 16 extensions are allowed");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < exts->items.size(); ++i) {
    std::string& e = exts->items[i].str;
    const bool plain =
        !is_blank(e) &&
        e.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
            std::string::npos;
    if (!plain) {
      return item_error(t, Code::FX0503, "allowed_extensions", i,
                        "extensions must be plain extension names without dots or separators");
    }
    e = lower(e);  // stored lowercased (§8.1)
    if (!seen.insert(e).second) {
      return item_error(t, Code::FX0503, "allowed_extensions", i,
                        "duplicate extensions are not allowed");
    }
  }
}

// §8.1 index, incl. the new check that its extension is allowed (run after the extensions).
void check_index(TableCtx& t) {
  const std::string_view idx = t.str("index");
  const std::string l = lower(idx);
  bool ok = is_valid_path_segment(idx) && l.size() > 4 && l.ends_with(".php");
  if (ok && t.ok("allowed_extensions")) {
    const std::string ext = l.substr(l.find_last_of('.') + 1);
    const auto& exts = items_of(t, "allowed_extensions");
    ok = std::any_of(exts.begin(), exts.end(), [&](const ir::Value& e) { return e.str == ext; });
  }
  if (!ok) t.error(Code::FX0502, "index", "index must be a plain .php file name");
}

void check_deny_prefixes(TableCtx& t) {
  const auto& prefixes = items_of(t, "deny_path_prefixes");
  if (prefixes.size() > 128)
    return (void)t.error(Code::FX0504, "deny_path_prefixes", "at most 128 prefixes are allowed");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    if (!is_clean_request_path(prefixes[i].str)) {
      return item_error(
          t, Code::FX0504, "deny_path_prefixes", i,
          "prefixes must be absolute URI paths without dot segments, query, fragment, "
          "backslash, or control characters");
    }
    if (!seen.insert(prefixes[i].str).second) {
      return item_error(t, Code::FX0504, "deny_path_prefixes", i,
                        "duplicate prefixes are not allowed");
    }
  }
}

void check_methods(TableCtx& t) {
  const auto& methods = items_of(t, "methods");
  if (!t.ok("methods")) return;
  if (methods.empty())
    return (void)t.error(Code::FX0505, "methods", "at least one method is required");
  if (methods.size() > 16)
    return (void)t.error(Code::FX0505, "methods", "at most 16 methods are allowed");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    const std::string& m = methods[i].str;
    if (!is_method_token(m))
      return item_error(t, Code::FX0505, "methods", i,
                        "methods must be uppercase HTTP method tokens");
    if (m == "TRACE" || m == "CONNECT")
      return item_error(t, Code::FX0505, "methods", i, "TRACE and CONNECT never reach PHP");
    if (!seen.insert(m).second)
      return item_error(t, Code::FX0505, "methods", i, "contains duplicate methods");
  }
}

void check_body(TableCtx& t) {
  if (t.get("max_request_body_bytes") && t.num("max_request_body_bytes") == 0) {
    t.error(Code::FX0507, "max_request_body_bytes", "must be greater than zero");
  }
  const bool threshold = t.get("request_body_spool_threshold_bytes") != nullptr;
  const bool dir = t.get("request_body_spool_dir") != nullptr;
  if (threshold) {
    const std::uint64_t th = t.num("request_body_spool_threshold_bytes");
    if (th == 0) {
      t.error(Code::FX0507, "request_body_spool_threshold_bytes", "must be greater than zero");
    } else if (t.get("max_request_body_bytes") && th >= t.num("max_request_body_bytes")) {
      t.error(Code::FX0507, "request_body_spool_threshold_bytes",
              "must be less than php.max_request_body_bytes when both are set");
    }
    if (!dir && t.ok("request_body_spool_dir")) {
      t.error(Code::FX0507, "request_body_spool_dir",
              "is required when php.request_body_spool_threshold_bytes is set");
    }
  } else if (dir && t.ok("request_body_spool_threshold_bytes")) {
    t.error(Code::FX0507, "request_body_spool_threshold_bytes",
            "is required when php.request_body_spool_dir is set");
  }
  if (dir && t.ok("request_body_spool_dir") && t.ctx.options().host_checks) {
    const std::string d(t.str("request_body_spool_dir"));
    struct stat st {};
    if (::stat(d.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
      t.error(Code::FX0507, "request_body_spool_dir", "must be a directory when it already exists");
    } else if (const std::string w = writable_dir_or_ancestor(d); !w.empty()) {
      t.error_field(Code::FX0306, "request_body_spool_dir", "",
                    "unsafe path `" + d + "` for " +
                        table_display(t.key_path("request_body_spool_dir")) + ": `" + w +
                        "` is group/world-writable");
    }
  }
}

// A size limit `0 < v <= max` with the original's reasons.
void check_size(TableCtx& t, std::string_view key, std::uint64_t max, std::string_view max_text) {
  if (!t.get(key) || !t.ok(key)) return;
  if (t.num(key) == 0) return (void)t.error(Code::FX0506, key, "must be greater than zero");
  if (t.num(key) > max)
    t.error(Code::FX0506, key, "must be less than or equal to " + std::string(max_text));
}

}  // namespace

void rules_php(TableCtx& t) {
  // §8.1 path_info: "strict" is a deprecated alias of "split" (cli.md §8 FX0903).
  if (ir::Value* pi = t.table.get("path_info");
      pi != nullptr && pi->present() && pi->str == "strict") {
    t.warn(Code::FX0903, "path_info", "deprecated alias; write \"split\"");
    pi->str = "split";
  }
  if (!t.flag("enabled")) return;  // §8: a disabled block is accepted as it is
  check_root(t);
  check_fpm_root(t);
  check_extensions(t);
  check_index(t);
  check_deny_prefixes(t);
  check_php_params(t);
  check_methods(t);
  check_body(t);
  check_size(t, "max_response_bytes", 64 * kMiB, "64MiB");
  check_size(t, "max_response_header_bytes", kMiB, "1MiB");
  if (t.get("server_port") && t.num("server_port") == 0)
    t.error(Code::FX0506, "server_port", "must be greater than zero");
  check_size(t, "stderr_max_bytes", kMiB, "1MiB");
  check_php_response_lists(t);
  check_error_pages(t, "error_pages");
  if (ir::Value* fpm = t.table.get("fpm"); fpm != nullptr && fpm->present()) {
    TableCtx f{t.ctx, TableType::Fpm, *fpm, t.key_path("fpm"), {}};
    rules_fpm(f);
    check_fpm_root_mapping(t, f);
  }
}

}  // namespace flux::compiler
