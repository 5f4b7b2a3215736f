#pragma once
// Expressions of one request (expressions.md): `when` predicates during route selection, and
// templates (redirect targets, header values, rewrite_template) once the route is known. The
// request variables are built on first use, so requests that use no expression pay nothing.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/core/header_policy.hpp"
#include "runtime/expr/standard_vars.hpp"
#include "runtime/http/request.hpp"
#include "snapshot/regex/matcher.hpp"

namespace flux::fxs {
struct Route;
struct Template;
}  // namespace flux::fxs

namespace flux::runtime {
struct Generation;
}

namespace flux::runtime::core {

class RequestExpressions {
 public:
  RequestExpressions(const Generation& generation, const http::Request& request);
  ~RequestExpressions();
  RequestExpressions(const RequestExpressions&) = delete;
  RequestExpressions& operator=(const RequestExpressions&) = delete;

  // A route's `when`, with the route's own regex captures in scope.
  bool when(const fxs::Route& route);
  // The route whose captures `route.regex.*` refers to from now on (nullptr: none).
  void select_route(const fxs::Route* route);
  // nullopt: the template could not be expanded (over 16KiB, or a program error).
  std::optional<std::string> expand(const fxs::Template& t);
  TemplateExpander expander() {
    return [this](const fxs::Template& t) { return expand(t); };
  }
  // The request variables (with the selected route's captures), for callers that evaluate
  // other predicates or match request lists themselves (the cache's bypass rules).
  const expr::RequestVars& vars();

 private:
  void capture(const fxs::Route* route);

  const Generation& generation_;
  const http::Request& request_;
  std::string_view scheme_;
  std::vector<expr::HeaderField> headers_;
  expr::RequestInfo info_;
  std::vector<std::string_view> group_names_;
  std::vector<snapshot::regex::Capture> captures_;
  std::unique_ptr<expr::StandardRequestVars> vars_;
};

}  // namespace flux::runtime::core
