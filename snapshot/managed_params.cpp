#include "snapshot/managed_params.hpp"

#include <algorithm>
#include <array>

namespace flux::snapshot {
namespace {

constexpr std::array<std::string_view, 27> kManaged = {
    "AUTH_TYPE",         "CONTENT_LENGTH",  "CONTENT_TYPE",   "DOCUMENT_ROOT",  "DOCUMENT_URI",
    "GATEWAY_INTERFACE", "HTTPS",           "HTTP_HOST",      "HTTP_PROXY",     "PATH_INFO",
    "PATH_TRANSLATED",   "PHP_ADMIN_VALUE", "PHP_VALUE",      "QUERY_STRING",   "REDIRECT_STATUS",
    "REMOTE_ADDR",       "REMOTE_PORT",     "REQUEST_METHOD", "REQUEST_SCHEME", "REQUEST_URI",
    "SCRIPT_FILENAME",   "SCRIPT_NAME",     "SERVER_ADDR",    "SERVER_NAME",    "SERVER_PORT",
    "SERVER_PROTOCOL",   "SERVER_SOFTWARE"};

}  // namespace

bool is_managed_param(std::string_view name) {
  return std::find(kManaged.begin(), kManaged.end(), name) != kManaged.end();
}

}  // namespace flux::snapshot
