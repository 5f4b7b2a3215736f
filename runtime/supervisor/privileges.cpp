#include "runtime/supervisor/privileges.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace flux::runtime::supervisor {
namespace {

std::string user_name(uid_t uid) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) return {};
  return pw.pw_name;
}

std::string group_name(gid_t gid) {
  std::vector<char> buf(16384);
  group gr{};
  group* found = nullptr;
  if (::getgrgid_r(gid, &gr, buf.data(), buf.size(), &found) != 0 || found == nullptr) return {};
  return gr.gr_name;
}

}  // namespace

Identity current_identity() {
  return {::geteuid(), user_name(::geteuid()), group_name(::getegid())};
}

Result<void> check_privileges(const PoolSpec& spec, const Identity& self) {
  const std::string pool = "managed php-fpm pool `" + spec.label + "`";
  if (self.euid == 0) {
    if (spec.user.empty() || spec.group.empty()) {
      return make_error(
          pool + " would run PHP as root; set php.fpm.user and php.fpm.group (e.g. www-data)");
    }
    return {};
  }
  if (spec.user.empty() && spec.group.empty()) return {};
  if (spec.user == self.user && spec.group == self.group) return {};
  return make_error(pool + " sets php.fpm.user/group `" + spec.user + "`/`" + spec.group +
                    "`, but fluxheim runs as `" + self.user + "`/`" + self.group +
                    "` and php-fpm can switch users only when started as root; remove them or set "
                    "them to fluxheim's own user and group");
}

}  // namespace flux::runtime::supervisor
