#include "runtime/http/request.hpp"

namespace flux::runtime::http {

const Header* Request::find(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return &h;
  }
  return nullptr;
}

}  // namespace flux::runtime::http
