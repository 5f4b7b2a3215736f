#include <iostream>

#include "compiler/driver/commands.hpp"

namespace flux::compiler {

int run_schema() {
  std::cerr << "fluxc schema: not implemented yet\n";
  return 2;
}
int run_dump(const std::string&, const std::string&) {
  std::cerr << "fluxc dump: not implemented yet\n";
  return 2;
}
int run_diff(const std::string&, const std::string&, const std::string&, bool) {
  std::cerr << "fluxc diff: not implemented yet\n";
  return 2;
}

}  // namespace flux::compiler
