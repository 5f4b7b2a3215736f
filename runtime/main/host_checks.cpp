#include "runtime/main/host_checks.hpp"

#include <sys/stat.h>

#include "runtime/supervisor/supervisor.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::app {
namespace {

// A PHP root must be a directory when fluxheim starts (config-reference.md §8.1 `root`).
Result<void> check_php_root(const fxs::Php* php, const std::string& label) {
  if (php == nullptr || !php->enabled() || php->root() == nullptr) return {};
  struct stat st {};
  if (::stat(php->root()->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return make_error(label + ".php.root `" + php->root()->str() + "` is not a directory on this host");
  }
  return {};
}

}  // namespace

Result<void> run_host_checks(const fxs::Snapshot& snapshot) {
  const auto* vhosts = snapshot.config()->vhosts();
  if (vhosts == nullptr) return {};
  for (const auto* vh : *vhosts) {
    const std::string label = "vhosts[\"" + vh->name()->str() + "\"]";
    if (auto r = check_php_root(vh->php(), label); !r) return r;
    if (vh->routes() == nullptr) continue;
    for (const auto* route : *vh->routes()) {
      if (auto r = check_php_root(route->php(), label + ".routes[\"" + route->name()->str() + "\"]"); !r) {
        return r;
      }
    }
  }
  // php-behaviour.md §14.3: privileges and the php-fpm binary (socket_dir is checked when the
  // pools start, because checking it creates it).
  return supervisor::check_managed_pools(snapshot);
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace flux::runtime::app
