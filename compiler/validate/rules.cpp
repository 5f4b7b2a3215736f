#include "compiler/validate/rules.hpp"

#include "compiler/validate/checks.hpp"

#include <sys/stat.h>

#include <string>

namespace flux::compiler {

void run_rules(TableCtx& t) {
  switch (t.type) {
    case TableType::Server:
      return rules_server(t);
    case TableType::LogFile:
      return rules_log_file(t);
    case TableType::Tls:
      return rules_tls(t);
    case TableType::Certificate:
      return rules_certificate(t);
    case TableType::RequestHeaders:
      return rules_request_headers(t);
    case TableType::ResponseHeaders:
      return rules_response_headers(t);
    case TableType::Proxy:
      return rules_proxy(t);
    case TableType::Php:
      return rules_php(t);
    case TableType::Cache:
      return rules_cache(t);
    case TableType::Metrics:
      return rules_metrics(t);
    case TableType::Admin:
      return rules_admin(t);
    case TableType::Vhost:
      return rules_vhost(t);
    case TableType::Web:
      return rules_web(t);
    case TableType::Redirect:
      return rules_redirect(t);
    case TableType::Route:
      return rules_route(t);
    default:
      return;
  }
}

namespace {

bool is_world_writable_dir(const std::string& dir) {
  struct stat st {};
  return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_IWOTH) != 0;
}

std::string parent_of(const std::string& p) {
  const auto slash = p.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : p.substr(0, slash);
}

// §0.3 rule 2: the first existing component that is a symlink, or "".
std::string symlink_component(const std::string& path, bool allow_final) {
  std::string prefix;
  std::size_t i = 1;
  while (i <= path.size()) {
    const std::size_t slash = path.find('/', i);
    const std::size_t end = slash == std::string::npos ? path.size() : slash;
    prefix = path.substr(0, end);
    const bool final = end == path.size();
    struct stat st {};
    if (::lstat(prefix.c_str(), &st) != 0) return "";  // the rest does not exist
    if (S_ISLNK(st.st_mode) && !(final && allow_final)) return prefix;
    i = end + 1;
  }
  return "";
}

}  // namespace

void host_path_checks(TableCtx& t) {
  for (const Directive& d : table_info(t.type).keys) {
    if (d.kind != ValueKind::Path || !t.given(d.key) || !t.ok(d.key)) continue;
    const std::string path = std::string(t.str(d.key));
    if (path.empty() || path.front() != '/') continue;  // relative managed paths fail later
    const std::string scope = table_display(t.key_path(d.key));
    // php.resolve_root_symlink (§8.1): only the final component of root may be a symlink.
    const bool allow_final =
        t.type == TableType::Php && d.key == "root" && t.flag("resolve_root_symlink");
    if (const std::string link = symlink_component(path, allow_final); !link.empty()) {
      t.error_field(Code::FX0306, d.key, "",
                    "unsafe path `" + path + "` for " + scope + ": `" + link + "` is a symlink");
      continue;
    }
    const std::string parent = parent_of(path);
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0 || ::stat(parent.c_str(), &st) == 0;
    if (exists && is_world_writable_dir(parent) && !trusted_parent(parent, path)) {
      t.error_field(Code::FX0306, d.key, "",
                    "unsafe path `" + path + "` for " + scope + ": parent directory `" + parent +
                        "` is world-writable");
    }
  }
}

}  // namespace flux::compiler
