#include "runtime/php/status.hpp"

#include <algorithm>

#include "runtime/php/text.hpp"

namespace flux::runtime::php {
namespace {

struct Phrase {
  std::uint16_t code;
  std::string_view text;
};

// IANA HTTP Status Code Registry, permanent entries (RFC 9110 §15 and the RFCs it lists).
// 306 and 418 are registered as "(Unused)" and get "Unknown".
constexpr Phrase kPhrases[] = {
    {100, "Continue"},
    {101, "Switching Protocols"},
    {102, "Processing"},
    {103, "Early Hints"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {207, "Multi-Status"},
    {208, "Already Reported"},
    {226, "IM Used"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {305, "Use Proxy"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Content Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {421, "Misdirected Request"},
    {422, "Unprocessable Content"},
    {423, "Locked"},
    {424, "Failed Dependency"},
    {425, "Too Early"},
    {426, "Upgrade Required"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {451, "Unavailable For Legal Reasons"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
    {506, "Variant Also Negotiates"},
    {507, "Insufficient Storage"},
    {508, "Loop Detected"},
    {510, "Not Extended"},
    {511, "Network Authentication Required"},
};

bool contains(const std::vector<std::uint16_t>& list, std::uint16_t status) {
  return std::find(list.begin(), list.end(), status) != list.end();
}

}  // namespace

std::string_view reason_phrase(std::uint16_t status) {
  const auto it = std::lower_bound(std::begin(kPhrases), std::end(kPhrases), status,
                                   [](const Phrase& p, std::uint16_t s) { return p.code < s; });
  return it != std::end(kPhrases) && it->code == status ? it->text : "Unknown";
}

bool has_error_page(std::uint16_t status, const InterceptConfig& config) {
  return contains(config.error_page_statuses, status);
}

bool is_intercepted(std::uint16_t status, ResponseOrigin origin, const InterceptConfig& config) {
  if (has_error_page(status, config)) return true;
  return origin == ResponseOrigin::kPhp && contains(config.intercept_error_statuses, status);
}

std::vector<ResponseHeader> surviving_headers(std::uint16_t status,
                                              std::span<const ResponseHeader> headers) {
  std::vector<ResponseHeader> kept;
  if (status != 429 && status != 503) return kept;
  for (const ResponseHeader& h : headers) {
    if (iequals(h.name, "retry-after")) kept.push_back(h);
  }
  return kept;
}

GeneratedError generated_error(std::uint16_t status, std::vector<ResponseHeader> kept) {
  GeneratedError e;
  e.status = status;
  e.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
  e.headers.push_back({"Cache-Control", "no-store"});
  for (ResponseHeader& h : kept) e.headers.push_back(std::move(h));
  e.body = std::to_string(status) + " " + to_lower(reason_phrase(status)) + "\n";
  return e;
}

}  // namespace flux::runtime::php
