// libFuzzer target: the PHP response header parser (php-behaviour.md §9.1) and the shaping
// that follows it (§9.2, §11). Checks that an accepted response only carries safe headers and
// a body that is a suffix of the input.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "runtime/php/response_parser.hpp"
#include "runtime/php/response_shaping.hpp"
#include "runtime/php/text.hpp"

using namespace flux::runtime::php;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ResponseParse r = parse_response(input, 1024);
  if (!r.ok()) return 0;
  ParsedResponse& resp = r.response;
  if (resp.status < 200 || resp.status > 599) std::abort();
  if (!input.ends_with(resp.body)) std::abort();
  for (const ResponseHeader& h : resp.headers) {
    if (!is_token(h.name) || iequals(h.name, "status")) std::abort();
    for (char c : h.value) {
      if (c != '\t' && (is_ctl(c) || static_cast<unsigned char>(c) >= 0x80)) std::abort();
    }
  }
  ShapingConfig config;
  config.hide_response_headers = {"x-powered-by"};
  shape_response(resp, config, 1700000000);
  for (const ResponseHeader& h : resp.headers) {
    if (iequals(h.name, "transfer-encoding") || iequals(h.name, "x-accel-redirect") ||
        iequals(h.name, "content-length") || iequals(h.name, "x-powered-by")) {
      std::abort();
    }
  }
  return 0;
}
