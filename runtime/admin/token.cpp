#include "runtime/admin/token.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <openssl/crypto.h>

#include "snapshot/fxs_generated.h"

namespace flux::runtime::admin {
namespace {

constexpr std::string_view kSpace = " \t\r\n\v\f";

std::string_view trim(std::string_view s) {
  const auto begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

Result<std::string> read_token_file(const std::string& path) {
  // O_NOFOLLOW + fstat: the file checked is the file read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd < 0) return make_error("admin.token_file `" + path + "`: " + std::strerror(errno));
  struct stat st {};
  std::string text;
  std::string error;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = "is not a regular file";
  } else if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    error = "is group/world-readable (chmod 600 it)";
  } else if (static_cast<std::uint64_t>(st.st_size) > kMaxTokenBytes + 1024) {
    error = "is too large for a token";
  } else {
    text.resize(static_cast<std::size_t>(st.st_size));
    if (::read(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
      error = "could not be read";
    }
  }
  ::close(fd);
  if (!error.empty()) return make_error("admin.token_file `" + path + "` " + error);
  return text;
}

}  // namespace

Result<std::string> validate_token(std::string_view raw, std::string_view source) {
  const std::string_view token = trim(raw);
  if (token.size() < kMinTokenBytes || token.size() > kMaxTokenBytes) {
    return make_error(std::string(source) + ": the token must be 32 to 4096 bytes");
  }
  return std::string(token);
}

Result<std::string> load_token(const fxs::Admin& admin) {
  if (admin.token_file() != nullptr) {
    const std::string path = admin.token_file()->str();
    auto text = read_token_file(path);
    if (!text) return text.error();
    return validate_token(*text, "admin.token_file `" + path + "`");
  }
  if (admin.token_env() != nullptr) {
    const std::string name = admin.token_env()->str();
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return make_error("admin.token_env: $" + name + " is not set");
    return validate_token(value, "admin.token_env $" + name);
  }
  return make_error("admin API requires token_file or token_env");
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if ((authorization[i] | 0x20) != kScheme[i]) return false;
  }
  std::string_view given = authorization.substr(kScheme.size());
  if (given.front() != ' ' && given.front() != '\t') return false;
  given = trim(given);
  // CRYPTO_memcmp reads every byte whatever differs; a length mismatch compares the token
  // with itself so the time does not depend on how much of a guess was right.
  const bool same_length = given.size() == token.size();
  const std::string_view probe = same_length ? given : token;
  const bool equal = CRYPTO_memcmp(probe.data(), token.data(), token.size()) == 0;
  return equal && same_length;
}

}  // namespace flux::runtime::admin
