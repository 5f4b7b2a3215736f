#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/php_gateway/php_block.hpp"

#include <atomic>

#include <algorithm>

#include "runtime/fastcgi/client/endpoint.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::php_gateway {
namespace {

std::vector<std::string> strings(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (v != nullptr) {
    for (const auto* s : *v) out.push_back(s->str());
  }
  return out;
}

std::string_view str(const flatbuffers::String* s) { return s == nullptr ? "" : s->string_view(); }

php::ScriptConfig script_config(const fxs::Php& p) {
  php::ScriptConfig c;
  if (p.index() && p.index()->size() != 0) c.index = p.index()->str();
  if (p.allowed_extensions() && p.allowed_extensions()->size() != 0) {
    c.allowed_extensions = strings(p.allowed_extensions());
  }
  c.deny_path_prefixes = strings(p.deny_path_prefixes());
  const std::string_view tf = str(p.try_files());
  c.try_files = tf == "strict"      ? php::TryFiles::kStrict
                : tf == "wordpress" ? php::TryFiles::kWordpress
                                    : php::TryFiles::kFrontController;
  const std::string_view pi = str(p.path_info());
  c.path_info = (pi == "split" || pi == "strict") ? php::PathInfoMode::kSplit : php::PathInfoMode::kDisabled;
  return c;
}

std::string_view root_error_text(php::RootError e) {
  switch (e) {
    case php::RootError::kNone: return "ok";
    case php::RootError::kNotAbsolute: return "is not an absolute path";
    case php::RootError::kSymlinkedRoot: return "is or is below a symlink (set resolve_root_symlink for a final symlink)";
    case php::RootError::kNotADirectory: return "is not a directory";
    case php::RootError::kIoError: return "cannot be opened";
  }
  return "cannot be opened";
}

// php-behaviour.md §8.3: connect = min(connect_timeout, request_timeout); the exchange gets the
// smallest of request/read/write timeouts that are set.
fastcgi::Timeouts timeouts_of(const fxs::Php& p, const fxs::Fpm& f) {
  const auto request = std::chrono::seconds(p.request_timeout_secs());
  fastcgi::Timeouts t{request, request};
  if (f.connect_timeout_secs()) t.connect = std::min(request, std::chrono::seconds(*f.connect_timeout_secs()));
  if (f.read_timeout_secs()) t.exchange = std::min(t.exchange, std::chrono::seconds(*f.read_timeout_secs()));
  if (f.write_timeout_secs()) t.exchange = std::min(t.exchange, std::chrono::seconds(*f.write_timeout_secs()));
  return t;
}

php::RetryConfig retry_of(const fxs::Fpm& f, std::size_t endpoints) {
  php::RetryConfig r;
  if (f.retry_methods()) r.retry_methods = strings(f.retry_methods());
  r.max_retries = f.max_retries();
  if (f.retry_timeout_secs()) r.retry_timeout = std::chrono::seconds(*f.retry_timeout_secs());
  r.retry_invalid_response = f.retry_invalid_response();
  if (f.retry_statuses()) r.retry_statuses.assign(f.retry_statuses()->begin(), f.retry_statuses()->end());
  r.endpoint_count = endpoints;
  return r;
}

fastcgi::PoolOptions pool_of(const fxs::Fpm& f, bool managed) {
  fastcgi::PoolOptions o;
  o.keepalive = f.keepalive();
  o.max_idle = f.pool_max_idle();
  o.idle_timeout = std::chrono::seconds(f.idle_timeout_secs());
  if (f.max_connections()) {
    o.max_connections = *f.max_connections();
  } else if (managed) {
    o.max_connections = f.workers();  // §9.2: managed default
  } else if (f.keepalive()) {
    o.max_connections = f.pool_max_idle();
  }
  return o;
}

}  // namespace

void PhpGenerationState::retire() const {
  for (const auto& [key, block] : blocks_) block->client->retire();
}

Result<std::unique_ptr<PhpBlock>> build_php_block(const fxs::Php& p, const std::string& vhost,
                                                  const std::string& scope,
                                                  const ManagedSockets& managed,
                                                  metrics::Registry& metrics) {
  static std::atomic<std::uint64_t> next_cache_scope{1};
  auto b = std::make_unique<PhpBlock>();
  b->config = &p;
  b->cache_scope = next_cache_scope.fetch_add(1, std::memory_order_relaxed);
  b->vhost = vhost;
  b->scope = scope;
  const std::string label = vhost + "/" + scope;
  const std::string root = p.root() ? p.root()->str() : "";
  if (const auto err = php::RootDir::open(root, p.resolve_root_symlink(), b->root);
      err != php::RootError::kNone) {
    return make_error("php.root `" + root + "` of " + label + " " + std::string(root_error_text(err)));
  }
  std::optional<std::string> fpm_root;
  if (p.fpm_root() && p.fpm_root()->size() != 0) fpm_root = p.fpm_root()->str();
  b->fpm_root = php::make_fpm_root(fpm_root, b->root.canonical());
  b->resolver = std::make_unique<php::ScriptResolver>(b->root, script_config(p), b->fpm_root);
  b->allowed_extensions = script_config(p).allowed_extensions;
  if (p.server_port()) b->params.server_port = *p.server_port();
  b->params.pass_request_headers = p.pass_request_headers();
  if (p.params()) {
    for (const auto* nv : *p.params()) b->params.custom.push_back({nv->name()->str(), nv->value()->str()});
  }
  b->shaping.hide_response_headers = strings(p.hide_response_headers());
  b->shaping.ignore_origin_cache_headers = p.ignore_origin_cache_headers();
  if (p.intercept_error_statuses()) {
    b->intercept.intercept_error_statuses.assign(p.intercept_error_statuses()->begin(),
                                                 p.intercept_error_statuses()->end());
  }
  if (p.error_pages()) {
    for (const auto* page : *p.error_pages()) b->intercept.error_page_statuses.push_back(page->status());
  }
  b->failure_patterns = strings(p.stderr_failure_patterns());
  b->methods = strings(p.methods());
  if (b->methods.empty()) b->methods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (const auto& m : b->methods) b->allow_header += (b->allow_header.empty() ? "" : ", ") + m;
  b->request_timeout = std::chrono::seconds(p.request_timeout_secs());
  b->queue_timeout = std::chrono::milliseconds(p.queue_timeout_ms());
  b->limiter = std::make_shared<Limiter>(p.max_in_flight(), p.max_queued(), b->queue_timeout);

  const fxs::Fpm* fpm = p.fpm();
  if (fpm == nullptr) return make_error("php block " + label + " has no [php.fpm] table");
  const bool is_managed = str(fpm->mode()) == "managed";
  std::vector<fastcgi::Endpoint> endpoints;
  if (is_managed) {
    const auto socket = managed ? managed(vhost, scope) : std::nullopt;
    if (!socket) return make_error("managed php-fpm pool " + label + " is not running");
    endpoints.push_back(fastcgi::unix_endpoint(*socket));
  } else {
    endpoints = fastcgi::endpoints_of(*fpm);
  }
  if (endpoints.empty()) return make_error("php block " + label + " has no php-fpm endpoint");
  const std::size_t endpoint_count = endpoints.size();
  b->client = std::make_unique<fastcgi::Client>(
      std::move(endpoints), pool_of(*fpm, is_managed), retry_of(*fpm, endpoint_count),
      timeouts_of(p, *fpm), p.max_response_bytes(), label, vhost, scope, metrics);
  return b;
}

}  // namespace flux::runtime::php_gateway
