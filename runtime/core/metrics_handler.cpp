#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/core/metrics_handler.hpp"

#include "runtime/metrics/registry.hpp"
#include "snapshot/format.hpp"

namespace flux::runtime::core {

boost::asio::awaitable<void> MetricsHandler::handle(http::Exchange& ex) {
  const http::Request& req = ex.request();
  if (req.path != path_) {
    co_await ex.send(http::generated_error(404));
    co_return;
  }
  if (req.method != "GET" && req.method != "HEAD") {
    http::Response r = http::generated_error(405);
    r.add("Allow", "GET, HEAD");
    co_await ex.send(std::move(r));
    co_return;
  }
  http::Response r;
  r.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.add("Cache-Control", "no-store");
  r.body = registry_.expose();
  co_await ex.send(std::move(r));
}

void publish_generation_metrics(metrics::Registry& registry, std::uint64_t generation,
                                const std::string& hash, const std::string& previous_hash) {
  registry.gauge("fluxheim_snapshot_generation", "The active snapshot generation.", {})
      .set(static_cast<std::int64_t>(generation));
  const std::string version = std::to_string(snapshot::kFormatMajor) + "." +
                              std::to_string(snapshot::kFormatMinor);
  if (!previous_hash.empty() && previous_hash != hash) {
    const metrics::Label old_labels[] = {{"hash", previous_hash}, {"format_version", version}};
    registry.gauge("fluxheim_snapshot_info", "The active snapshot (value 1).", old_labels).set(0);
  }
  const metrics::Label labels[] = {{"hash", hash}, {"format_version", version}};
  registry.gauge("fluxheim_snapshot_info", "The active snapshot (value 1).", labels).set(1);
}

}  // namespace flux::runtime::core
