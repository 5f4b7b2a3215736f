// [vhosts.proxy] / [vhosts.routes.proxy] / [proxy] (config-reference.md §7.3).

#include <algorithm>
#include <set>
#include <string>

#include "compiler/validate/checks.hpp"
#include "compiler/validate/net.hpp"
#include "compiler/validate/rules.hpp"

namespace flux::compiler {

void check_error_pages(TableCtx& t, std::string_view key) {
  ir::Value* pages = t.table.get(key);
  if (pages == nullptr || !pages->present()) return;
  std::set<std::uint64_t> statuses;
  for (std::size_t i = 0; i < pages->items.size(); ++i) {
    TableCtx page{t.ctx, TableType::ErrorPage, pages->items[i], index_path(t.key_path(key), i), {}};
    rules_error_page(page);
    const ir::Value* status = pages->items[i].get("status");
    if (status != nullptr && status->present() && page.ok("status") &&
        !statuses.insert(status->uint).second) {
      page.error(Code::FX0510, "status", "duplicate statuses are not allowed");
    }
  }
}

void rules_proxy(TableCtx& t) {
  // A route's proxy is its action, so it needs somewhere to send requests (§7.3: there is no
  // implicit 127.0.0.1:3000 upstream).
  const bool route = t.path.find(".routes[") != std::string::npos;
  if (route && !t.get("upstream") && items_of(t, "upstreams").empty() && t.ok("upstream") &&
      t.ok("upstreams")) {
    t.error_table(Code::FX0102, "route proxy requires upstream or upstreams");
  }
  if (t.get("upstream") && !items_of(t, "upstreams").empty()) {
    t.error(Code::FX0205, "upstreams", "configure only one of upstream or upstreams");
  }
  if (t.get("upstream") && !is_host_port(t.str("upstream"))) {
    t.error(Code::FX0108, "upstream", "must be host:port or ip:port");
  }
  const auto& ups = items_of(t, "upstreams");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < ups.size(); ++i) {
    std::string lower = ups[i].str;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!is_host_port(ups[i].str)) {
      item_error(t, Code::FX0108, "upstreams", i, "entries must be host:port or ip:port");
    } else if (!seen.insert(lower).second) {
      item_error(t, Code::FX0107, "upstreams", i, "duplicate upstreams are not allowed");
    }
  }
  check_error_pages(t, "error_pages");
}

}  // namespace flux::compiler
