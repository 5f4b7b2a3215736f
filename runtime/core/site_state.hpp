#pragma once
// Per-generation runtime state built from a verified snapshot ("construct-or-fail, then
// immutable"): loaded regex matchers, lazily opened web-root directory descriptors, the PHP
// extension set per vhost, and the handler state of later layers (PHP blocks, proxy pools).

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/core/client_address.hpp"
#include "runtime/expr/evaluator.hpp"
#include "runtime/static/static_handler.hpp"
#include "runtime/snapshot/generation.hpp"
#include "snapshot/regex/matcher.hpp"
#include "snapshot/result.hpp"

namespace flux::fxs {
struct Web;
}

namespace flux::runtime::core {

// An O_PATH directory descriptor per web root, opened on first use and closed with the
// generation (roots may appear after start-up; a missing root is retried on each request).
class WebRoots {
 public:
  explicit WebRoots(std::vector<const fxs::Web*> webs);
  ~WebRoots();
  WebRoots(const WebRoots&) = delete;
  WebRoots& operator=(const WebRoots&) = delete;
  int fd_for(const fxs::Web& web) const;
  // 1-based slot of `web` in this table (0 when unknown).
  std::size_t slot_of(const fxs::Web& web) const;

 private:
  std::unordered_map<const fxs::Web*, std::size_t> index_;
  std::unique_ptr<std::atomic<int>[]> fds_;
  std::size_t count_ = 0;
};

// Builds the per-generation state of one handler layer (PHP blocks, proxy pools). Registered
// once at start-up; `slot` is the index its state gets in SiteState::extension().
class ExtensionFactory {
 public:
  virtual ~ExtensionFactory() = default;
  virtual Result<std::unique_ptr<GenerationState>> build(const LoadedSnapshot& snapshot) = 0;
};

class SiteState final : public GenerationState {
 public:
  static Result<std::unique_ptr<SiteState>> build(const LoadedSnapshot& snapshot,
                                                  std::span<ExtensionFactory* const> factories);

  void retire() const override;
  const GenerationState* extension(std::size_t slot) const {
    return slot < extensions_.size() ? extensions_[slot].get() : nullptr;
  }
  const TrustedProxies& trusted_proxies() const { return trusted_; }
  // The static-file context for `web` serving `raw_path` in vhost `vhost` (-1: root fallback),
  // with its open-file-cache scope: unique per web table and SiteState, never reused.
  statics::StaticContext static_context(const fxs::Web& web, const fxs::Routing& routing,
                                        std::int32_t vhost, std::string_view raw_path) const;

  std::span<const snapshot::regex::Matcher> regexes() const { return regexes_; }
  // The verified expression program at `index` of Snapshot.exprs (nullptr when out of range).
  const expr::Program* program(std::int32_t index) const {
    return index >= 0 && static_cast<std::size_t>(index) < programs_.size()
               ? &programs_[static_cast<std::size_t>(index)]
               : nullptr;
  }
  const WebRoots& web_roots() const { return *web_roots_; }
  // Lowercased extensions that are never served as static files for this vhost ("php" plus
  // the allowed_extensions of every PHP block of the vhost, php-behaviour.md §1.3). Index -1 is
  // the root-level fallback.
  std::span<const std::string> php_extensions(std::int32_t vhost) const;

 private:
  std::vector<snapshot::regex::Matcher> regexes_;
  std::vector<expr::Program> programs_;
  std::unique_ptr<WebRoots> web_roots_;
  std::vector<std::vector<std::string>> php_extensions_;  // per vhost
  std::vector<std::string> default_php_extensions_{"php"};
  TrustedProxies trusted_;
  std::uint64_t instance_ = 0;  // process-unique, for open-file-cache scopes
  std::vector<std::unique_ptr<GenerationState>> extensions_;
};

const SiteState& site_of(const Generation& generation);

}  // namespace flux::runtime::core
