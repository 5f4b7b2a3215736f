#include "runtime/core/template_eval.hpp"

#include "runtime/snapshot/generation.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::core {

TemplateExpander make_expander(const Generation&, const http::Request&) {
  return [](const fxs::Template& t) -> std::optional<std::string> {
    if (t.program() < 0 && t.source() != nullptr) return t.source()->str();
    return std::nullopt;
  };
}

bool evaluate_when(const Generation&, const http::Request&, const fxs::Route& route) {
  return route.when() == nullptr || route.when()->program() < 0;
}

}  // namespace flux::runtime::core
