// Snapshot scale (issue: the .fxs snapshot): for a large snapshot given in FLUX_SNAPSHOT,
// measures load + verify, the per-generation state build, and host lookup + route selection
// straight from the snapshot tables. bench/snapshot_bench.sh generates the 10,000-vhost site.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/core/site_state.hpp"
#include "runtime/http/router.hpp"
#include "runtime/http/uri.hpp"
#include "runtime/snapshot/loaded_snapshot.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/host_table.hpp"

namespace {

using namespace flux;

const std::string& snapshot_path() {
  static const std::string path = [] {
    const char* p = std::getenv("FLUX_SNAPSHOT");
    return std::string(p ? p : "");
  }();
  return path;
}

std::shared_ptr<const runtime::LoadedSnapshot> load_or_die() {
  runtime::LoadError error;
  auto loaded = runtime::load_snapshot(snapshot_path(), error);
  if (!loaded) {
    std::fprintf(stderr, "snapshot_bench: %s: %s\n", snapshot_path().c_str(), error.message.c_str());
    std::exit(2);
  }
  return loaded;
}

void BM_LoadAndVerify(benchmark::State& state) {
  for (auto _ : state) {
    auto loaded = load_or_die();
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(BM_LoadAndVerify)->Unit(benchmark::kMillisecond);

void BM_BuildGenerationState(benchmark::State& state) {
  auto loaded = load_or_die();
  for (auto _ : state) {
    auto site = runtime::core::SiteState::build(*loaded, {});
    benchmark::DoNotOptimize(site);
  }
}
BENCHMARK(BM_BuildGenerationState)->Unit(benchmark::kMillisecond);

// A request's host lookup (exact or wildcard) plus route selection, as the dispatcher does it.
void BM_HostLookupAndRouteSelection(benchmark::State& state) {
  auto loaded = load_or_die();
  const fxs::Snapshot& snap = loaded->root();
  auto site = runtime::core::SiteState::build(*loaded, {});
  const auto* vhosts = snap.config()->vhosts();
  std::vector<std::string> hosts;
  for (flatbuffers::uoffset_t i = 0; i < vhosts->size(); i += 97) {
    hosts.push_back(vhosts->Get(i)->hosts()->Get(0)->str());
    hosts.push_back("www." + vhosts->Get(i)->hosts()->Get(0)->str());  // wildcard entries
  }
  const std::string path = runtime::http::decode_unreserved("/api/v1/items");
  const runtime::http::WhenEvaluator no_when = [](const fxs::Route&) { return true; };
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& host = hosts[i++ % hosts.size()];
    const std::int32_t vh = snapshot::find_vhost(*snap.routing(), host);
    if (vh >= 0) {
      const auto match = runtime::http::select_route(site.value()->regexes(),
                                                     *vhosts->Get(static_cast<flatbuffers::uoffset_t>(vh)),
                                                     "GET", path, no_when);
      benchmark::DoNotOptimize(match);
    }
    benchmark::DoNotOptimize(vh);
  }
}
BENCHMARK(BM_HostLookupAndRouteSelection);

}  // namespace

BENCHMARK_MAIN();
