#include "runtime/core/reload.hpp"

#include "runtime/core/site_state.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/snapshot/generation.hpp"

namespace flux::runtime::core {
namespace {

std::string_view result_label(ReloadResult r) {
  switch (r) {
    case ReloadResult::kApplied: return "applied";
    case ReloadResult::kUnchanged: return "unchanged";
    case ReloadResult::kRefusedProcessUpgrade: return "refused_process_upgrade";
    case ReloadResult::kInvalid: return "invalid";
    case ReloadResult::kIoError: return "io_error";
  }
  return "invalid";
}

ReloadOutcome attempt(GenerationHolder& generations, const std::string& path,
                      std::span<ExtensionFactory* const> factories) {
  ReloadOutcome out;
  LoadError error;
  auto candidate = load_snapshot(path, error);
  if (!candidate) {
    out.result = error.kind == LoadFailure::kNoInput ? ReloadResult::kIoError : ReloadResult::kInvalid;
    out.reason = error.message;
    return out;
  }
  const auto running = generations.current();
  if (candidate->hash() == running->hash()) {
    out.result = ReloadResult::kUnchanged;
    out.generation = running->number;
    return out;
  }
  auto state = SiteState::build(*candidate, factories);
  if (!state) {
    out.result = ReloadResult::kInvalid;
    out.reason = state.error().message;
    return out;
  }
  auto next = std::make_shared<Generation>();
  next->number = running->number + 1;
  next->snapshot = std::move(candidate);
  next->state = std::move(state.value());
  out.generation = next->number;
  generations.publish(std::move(next));
  running->state->retire();
  out.result = ReloadResult::kApplied;
  return out;
}

}  // namespace

ReloadOutcome reload_snapshot(GenerationHolder& generations, const std::string& path,
                              metrics::Registry& metrics,
                              std::span<ExtensionFactory* const> factories) {
  ReloadOutcome out = attempt(generations, path, factories);
  const metrics::Label labels[] = {{"result", result_label(out.result)}};
  metrics.counter("fluxheim_snapshot_reloads_total", "Snapshot reloads by result.", labels).inc();
  auto& log = log::logger();
  switch (out.result) {
    case ReloadResult::kApplied:
      log.log(log::Level::kInfo, "reload applied",
              {{"generation", out.generation}, {"sha256", generations.current()->hash()}});
      break;
    case ReloadResult::kUnchanged:
      log.log(log::Level::kInfo, "reload: snapshot unchanged", {{"generation", out.generation}});
      break;
    case ReloadResult::kRefusedProcessUpgrade:
      log.log(log::Level::kError, "reload refused: process-upgrade changes");
      break;
    case ReloadResult::kInvalid:
    case ReloadResult::kIoError:
      log.log(log::Level::kError, "reload refused: invalid snapshot", {{"reason", out.reason}});
      break;
  }
  return out;
}

}  // namespace flux::runtime::core
