#include "runtime/core/template_eval.hpp"

#include "runtime/core/site_state.hpp"
#include "runtime/expr/evaluator.hpp"
#include "runtime/log/logger.hpp"
#include "runtime/snapshot/generation.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::core {

RequestExpressions::RequestExpressions(const Generation& generation, const http::Request& request)
    : generation_(generation), request_(request) {}

RequestExpressions::~RequestExpressions() = default;

const expr::RequestVars& RequestExpressions::vars() {
  if (!vars_) {
    headers_.reserve(request_.headers.size());
    for (const auto& h : request_.headers) headers_.push_back({h.name, h.value});
    info_.scheme = request_.tls ? "https" : "http";
    info_.host = request_.host;
    info_.method = request_.method;
    // expressions.md §3: uri = raw path + ?query as received (absolute-form: its path part).
    info_.target = request_.absolute_form ? request_.target.substr(request_.target.find(request_.path))
                                          : request_.target;
    info_.remote_addr = request_.client.ip;
    info_.server_port = request_.local.port;
    info_.headers = headers_;
    expr::RouteCaptures route;
    if (!group_names_.empty()) route = {request_.path, group_names_, captures_};
    vars_ = std::make_unique<expr::StandardRequestVars>(info_, route);
  }
  return *vars_;
}

void RequestExpressions::capture(const fxs::Route* route) {
  group_names_.clear();
  captures_.clear();
  vars_.reset();
  if (route == nullptr || route->regex() < 0) return;
  const SiteState& site = site_of(generation_);
  const auto index = static_cast<std::size_t>(route->regex());
  if (index >= site.regexes().size()) return;
  const auto* program = generation_.root().routing()->regexes()->Get(static_cast<flatbuffers::uoffset_t>(index));
  if (program->group_names()) {
    for (const auto* n : *program->group_names()) group_names_.push_back(n->string_view());
  }
  captures_.resize(group_names_.size());
  site.regexes()[index].match(request_.path, captures_);
}

bool RequestExpressions::when(const fxs::Route& route) {
  const fxs::Template* t = route.when();
  if (t == nullptr || t->program() < 0) return true;
  const expr::Program* program = site_of(generation_).program(t->program());
  if (program == nullptr) return false;
  if (route.regex() >= 0) capture(&route);
  return expr::evaluate_predicate(*program, vars());
}

void RequestExpressions::select_route(const fxs::Route* route) { capture(route); }

std::optional<std::string> RequestExpressions::expand(const fxs::Template& t) {
  if (t.program() < 0) return t.source() ? t.source()->str() : std::string();
  const expr::Program* program = site_of(generation_).program(t.program());
  if (program == nullptr) return std::nullopt;
  std::string out;
  if (!expr::render_template(*program, vars(), out)) {
    log::logger().log(log::Level::kWarn, "template expansion exceeds 16KiB",
                      {{"template", program->source()}});
    return std::nullopt;
  }
  return out;
}

}  // namespace flux::runtime::core
