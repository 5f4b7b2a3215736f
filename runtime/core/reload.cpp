#include "runtime/core/reload.hpp"

#include "runtime/core/metrics_handler.hpp"
#include "runtime/core/site_state.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/metrics/registry.hpp"
#include "runtime/snapshot/generation.hpp"
#include "snapshot/classifier.hpp"

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
                      metrics::Registry& metrics, std::span<ExtensionFactory* const> factories) {
  ReloadOutcome out;
  LoadError error;
  auto candidate = load_snapshot(path, error);
  if (!candidate) {
    out.result = error.kind == LoadFailure::kNoInput ? ReloadResult::kIoError : ReloadResult::kInvalid;
    out.reason = error.message;
    return out;
  }
  const auto running = generations.current();
  out.running_hash = running->hash();
  out.candidate_hash = candidate->hash();
  if (candidate->hash() == running->hash()) {
    out.result = ReloadResult::kUnchanged;
    out.generation = running->number;
    return out;
  }
  // The same classifier as `fluxc diff` (cli.md §5): any process-upgrade change refuses the
  // whole snapshot; nothing is half-applied.
  const snapshot::Classification c = snapshot::classify(running->root(), candidate->root());
  if (c.result == snapshot::DiffResult::ProcessUpgrade) {
    for (const auto& change : c.changes) {
      if (change.reload == snapshot::ReloadClass::ProcessUpgrade) out.keys.push_back(change.key_path);
    }
    out.result = ReloadResult::kRefusedProcessUpgrade;
    out.generation = running->number;
    return out;
  }
  out.changes = c.changes.size();
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
  publish_generation_metrics(metrics, out.generation, out.candidate_hash, out.running_hash);
  running->state->retire();
  out.result = ReloadResult::kApplied;
  return out;
}

std::string keys_json(const std::vector<std::string>& keys) {
  std::string out = "[";
  for (const auto& k : keys) {
    if (out.size() > 1) out.push_back(',');
    log::append_json_string(out, k);
  }
  out.push_back(']');
  return out;
}

}  // namespace

ReloadOutcome reload_snapshot(GenerationHolder& generations, const std::string& path,
                              metrics::Registry& metrics,
                              std::span<ExtensionFactory* const> factories) {
  ReloadOutcome out = attempt(generations, path, metrics, factories);
  const metrics::Label labels[] = {{"result", result_label(out.result)}};
  metrics.counter("fluxheim_snapshot_reloads_total", "Snapshot reloads by result.", labels).inc();
  auto& log = log::logger();
  switch (out.result) {
    case ReloadResult::kApplied:
      log.log(log::Level::kInfo, "reload applied",
              {{"generation", out.generation}, {"sha256", out.candidate_hash},
               {"changes", static_cast<std::uint64_t>(out.changes)}});
      break;
    case ReloadResult::kUnchanged:
      log.log(log::Level::kInfo, "reload: snapshot unchanged", {{"generation", out.generation}});
      break;
    case ReloadResult::kRefusedProcessUpgrade:
      log.log(log::Level::kError, "reload refused: process-upgrade changes",
              {log::Field::json("keys", keys_json(out.keys)), {"running", out.running_hash},
               {"candidate", out.candidate_hash}});
      break;
    case ReloadResult::kInvalid:
    case ReloadResult::kIoError:
      log.log(log::Level::kError, "reload refused: invalid snapshot", {{"reason", out.reason}});
      break;
  }
  return out;
}

}  // namespace flux::runtime::core
