#pragma once
// The Prometheus endpoint on its own listener ([metrics], config-reference.md §5): GET/HEAD of
// `metrics.path` gives the text exposition 0.0.4; other paths 404, other methods 405.

#include <string>

#include "runtime/http/server.hpp"

namespace flux::runtime::metrics {
class Registry;
}

namespace flux::runtime::core {

class MetricsHandler final : public http::Handler {
 public:
  MetricsHandler(metrics::Registry& registry, std::string path)
      : registry_(registry), path_(std::move(path)) {}
  boost::asio::awaitable<void> handle(http::Exchange& exchange) override;
  void on_rejected(const http::Request&, unsigned) override {}

 private:
  metrics::Registry& registry_;
  std::string path_;
};

// fluxheim_snapshot_generation and fluxheim_snapshot_info for the active generation.
void publish_generation_metrics(metrics::Registry& registry, std::uint64_t generation,
                                const std::string& hash, const std::string& previous_hash);

}  // namespace flux::runtime::core
