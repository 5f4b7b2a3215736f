#pragma once
// `fluxc schema` (cli.md §7): a JSON Schema (draft 2020-12) generated from the directive table.

#include <boost/json/object.hpp>

namespace flux::compiler {

boost::json::object json_schema();

}  // namespace flux::compiler
