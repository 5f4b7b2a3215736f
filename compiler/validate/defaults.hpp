#pragma once

#include "compiler/validate/table_ctx.hpp"

namespace flux::compiler {

// Fills every key that was not written (and did not fail) with its directive default. Tables
// with default "{}" are built from their own defaults; "" leaves the key absent; "=rule" keys
// are left to computed_defaults().
void fill_static_defaults(TableCtx& t);

// The IR value of a directive's JSON default literal (not for tables or "=rule").
ir::Value parse_default(const Directive& d, const ir::Origin& origin);

}  // namespace flux::compiler
