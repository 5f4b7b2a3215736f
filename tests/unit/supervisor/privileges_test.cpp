// php-behaviour.md §14.3 "Privileges": root needs user/group; others cannot switch users.

#include "runtime/supervisor/privileges.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace flux::runtime::supervisor {
namespace {

PoolSpec spec(std::string user, std::string group) {
  PoolSpec s;
  s.label = "shop/vhost";
  s.user = std::move(user);
  s.group = std::move(group);
  return s;
}

TEST(Privileges, RootWithoutUserAndGroupIsRefusedWithTheSpecMessage) {
  const Identity root{0, "root", "root"};
  auto r = check_privileges(spec("", ""), root);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "managed php-fpm pool `shop/vhost` would run PHP as root; set php.fpm.user and "
            "php.fpm.group (e.g. www-data)");
}

TEST(Privileges, RootWithUserAndGroupIsAccepted) {
  EXPECT_TRUE(check_privileges(spec("www-data", "www-data"), {0, "root", "root"}).ok());
}

TEST(Privileges, NonRootRunsThePoolAsItself) {
  const Identity alice{1000, "alice", "staff"};
  EXPECT_TRUE(check_privileges(spec("", ""), alice).ok());
  EXPECT_TRUE(check_privileges(spec("alice", "staff"), alice).ok());
  auto r = check_privileges(spec("www-data", "www-data"), alice);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("php-fpm can switch users only when started as root"),
            std::string::npos);
  EXPECT_FALSE(check_privileges(spec("alice", "www-data"), alice).ok());
}

TEST(Privileges, CurrentIdentityNamesTheEffectiveUser) {
  const Identity self = current_identity();
  EXPECT_EQ(self.euid, ::geteuid());
  EXPECT_FALSE(self.user.empty());
}

}  // namespace
}  // namespace flux::runtime::supervisor
