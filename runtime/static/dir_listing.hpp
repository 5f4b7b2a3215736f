#pragma once
// An HTML directory listing (config-reference.md §7.1 directory_listing). Entry names are
// HTML-escaped and percent-encoded in links; dotfiles are never listed.

#include <string>

#include "runtime/http/response.hpp"

namespace flux::fxs {
struct DirectoryListing;
}

namespace flux::runtime::statics {

http::Response render_listing(int dir_fd, const std::string& url_path,
                              const fxs::DirectoryListing& options);

}  // namespace flux::runtime::statics
