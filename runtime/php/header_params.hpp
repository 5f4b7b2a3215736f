#pragma once
// Request header -> HTTP_* translation (php-behaviour.md §5.2): HTTPoxy, hop-by-hop and
// Connection-named headers dropped, strict names, cookie merge.

#include <span>
#include <vector>

#include "runtime/fastcgi/codec/encoder.hpp"
#include "runtime/php/request_view.hpp"

namespace flux::runtime::php {

// Appends one HTTP_* param per distinct header name, in order of first arrival. Repeated
// headers are merged with "; " (Cookie) or ", " while the merged value stays <= 16384 bytes.
// `Host` is left out: HTTP_HOST is set from the Host value after these (§5.1).
void append_header_params(std::span<const HeaderView> headers,
                          std::vector<fastcgi::NameValue>& out);

}  // namespace flux::runtime::php
