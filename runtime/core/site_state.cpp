#include "runtime/core/site_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "snapshot/fxs_generated.h"

namespace flux::runtime::core {
namespace {

void collect_webs(const fxs::Php* php, std::vector<const fxs::Web*>& out) {
  if (php == nullptr || php->error_pages() == nullptr) return;
  for (const auto* page : *php->error_pages()) {
    if (page->web()) out.push_back(page->web());
  }
}

void collect_webs(const fxs::Proxy* proxy, std::vector<const fxs::Web*>& out) {
  if (proxy == nullptr || proxy->error_pages() == nullptr) return;
  for (const auto* page : *proxy->error_pages()) {
    if (page->web()) out.push_back(page->web());
  }
}

std::vector<const fxs::Web*> all_webs(const fxs::Config& cfg) {
  std::vector<const fxs::Web*> webs;
  if (cfg.web()) webs.push_back(cfg.web());
  collect_webs(cfg.proxy(), webs);
  if (cfg.vhosts() == nullptr) return webs;
  for (const auto* vh : *cfg.vhosts()) {
    if (vh->web()) webs.push_back(vh->web());
    collect_webs(vh->php(), webs);
    collect_webs(vh->proxy(), webs);
    if (vh->routes() == nullptr) continue;
    for (const auto* r : *vh->routes()) {
      if (r->web()) webs.push_back(r->web());
      collect_webs(r->php(), webs);
      collect_webs(r->proxy(), webs);
    }
  }
  return webs;
}

void add_extensions(const fxs::Php* php, std::vector<std::string>& out) {
  if (php == nullptr || !php->enabled() || php->allowed_extensions() == nullptr) return;
  for (const auto* ext : *php->allowed_extensions()) {
    if (std::find(out.begin(), out.end(), ext->str()) == out.end()) out.push_back(ext->str());
  }
}

}  // namespace

WebRoots::WebRoots(std::vector<const fxs::Web*> webs)
    : fds_(new std::atomic<int>[webs.size()]), count_(webs.size()) {
  for (std::size_t i = 0; i < webs.size(); ++i) {
    index_.emplace(webs[i], i);
    fds_[i].store(-1);
  }
}

WebRoots::~WebRoots() {
  for (std::size_t i = 0; i < count_; ++i) {
    if (const int fd = fds_[i].load(); fd >= 0) ::close(fd);
  }
}

std::size_t WebRoots::slot_of(const fxs::Web& web) const {
  const auto it = index_.find(&web);
  return it == index_.end() ? 0 : it->second + 1;
}

int WebRoots::fd_for(const fxs::Web& web) const {
  const auto it = index_.find(&web);
  if (it == index_.end() || web.root() == nullptr) return -1;
  std::atomic<int>& slot = fds_[it->second];
  int fd = slot.load(std::memory_order_acquire);
  if (fd >= 0) return fd;
  fd = ::open(web.root()->c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  int expected = -1;
  if (!slot.compare_exchange_strong(expected, fd)) {
    ::close(fd);  // another thread won the race
    return expected;
  }
  return fd;
}

Result<std::unique_ptr<SiteState>> SiteState::build(const LoadedSnapshot& snapshot,
                                                    std::span<ExtensionFactory* const> factories) {
  static std::atomic<std::uint64_t> instances{0};
  auto state = std::make_unique<SiteState>();
  state->instance_ = instances.fetch_add(1) + 1;
  const fxs::Snapshot& root = snapshot.root();
  if (const auto* trusted = root.config()->server()->trusted_proxies()) {
    std::vector<Cidr> cidrs;
    for (const auto* t : *trusted) {
      auto cidr = parse_cidr(t->string_view());
      if (!cidr) return make_error("invalid trusted proxy `" + t->str() + "`");
      cidrs.push_back(*cidr);
    }
    state->trusted_ = TrustedProxies(std::move(cidrs));
  }
  if (const auto* regexes = root.routing()->regexes()) {
    for (const auto* program : *regexes) {
      const std::span<const std::uint32_t> code(program->code()->data(), program->code()->size());
      const std::size_t groups = program->group_names() ? program->group_names()->size() : 0;
      auto matcher = snapshot::regex::Matcher::load(code, groups);
      if (!matcher) return make_error("route regex: " + matcher.error().message);
      state->regexes_.push_back(matcher.value());
    }
  }
  if (const auto* exprs = root.exprs()) {
    state->programs_.reserve(exprs->size());
    for (const auto* program : *exprs) {
      auto loaded = expr::Program::load(*program);
      if (!loaded) return make_error("expression program: " + loaded.error().message);
      state->programs_.push_back(std::move(loaded.value()));
    }
  }
  state->web_roots_ = std::make_unique<WebRoots>(all_webs(*root.config()));
  if (const auto* vhosts = root.config()->vhosts()) {
    state->php_extensions_.reserve(vhosts->size());
    for (const auto* vh : *vhosts) {
      std::vector<std::string> exts{"php"};
      add_extensions(vh->php(), exts);
      if (vh->routes()) {
        for (const auto* r : *vh->routes()) add_extensions(r->php(), exts);
      }
      state->php_extensions_.push_back(std::move(exts));
    }
  }
  for (ExtensionFactory* factory : factories) {
    auto ext = factory->build(snapshot);
    if (!ext) return ext.error();
    state->extensions_.push_back(std::move(ext.value()));
  }
  return state;
}

void SiteState::retire() const {
  for (auto& ext : extensions_) ext->retire();
}

statics::StaticContext SiteState::static_context(const fxs::Web& web, const fxs::Routing& routing,
                                                std::int32_t vhost, std::string_view raw_path) const {
  statics::StaticContext ctx{&web, web_roots_->fd_for(web), &routing, php_extensions(vhost), raw_path};
  if (const std::size_t slot = web_roots_->slot_of(web); slot != 0) {
    ctx.cache_scope = (instance_ << 24) | slot;
  }
  return ctx;
}

std::span<const std::string> SiteState::php_extensions(std::int32_t vhost) const {
  if (vhost < 0 || static_cast<std::size_t>(vhost) >= php_extensions_.size()) {
    return default_php_extensions_;
  }
  return php_extensions_[static_cast<std::size_t>(vhost)];
}

const SiteState& site_of(const Generation& generation) {
  return static_cast<const SiteState&>(*generation.state);
}

}  // namespace flux::runtime::core
