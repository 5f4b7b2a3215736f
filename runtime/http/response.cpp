#include "runtime/http/response.hpp"

#include "runtime/status/reason_phrase.hpp"

#include <unistd.h>


namespace flux::runtime::http {

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

Response plain_text(unsigned status, std::string body) {
  Response r;
  r.status = status;
  r.add("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response generated_error(unsigned status) {
  Response r = plain_text(status, status::generated_error_body(status));
  r.add("Cache-Control", "no-store");
  return r;
}

}  // namespace flux::runtime::http
