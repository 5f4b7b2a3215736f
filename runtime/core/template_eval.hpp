#pragma once
// Bridges snapshot templates/predicates to the expression evaluator for one request.

#include "runtime/core/header_policy.hpp"
#include "runtime/http/request.hpp"

namespace flux::fxs {
struct Route;
}

namespace flux::runtime {
struct Generation;
}

namespace flux::runtime::core {

TemplateExpander make_expander(const Generation& generation, const http::Request& req);
bool evaluate_when(const Generation& generation, const http::Request& req, const fxs::Route& route);

}  // namespace flux::runtime::core
