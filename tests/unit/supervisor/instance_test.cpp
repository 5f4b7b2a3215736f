// php-behaviour.md §14.1 steps 2-3: instance names and the files of an instance.

#include "runtime/supervisor/instance.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>

namespace flux::runtime::supervisor {
namespace {

TEST(InstanceName, FormatsPidCounterAndRandomAsLowercaseHex) {
  EXPECT_EQ(instance_name(42, 7, 0xfeed), "fh-fpm-2a-7-000000000000feed");
  EXPECT_EQ(instance_name(0xffffffff, 0xffffffff, ~0ull),
            "fh-fpm-ffffffff-ffffffff-ffffffffffffffff");
  EXPECT_LE(instance_name(0xffffffff, 0xffffffff, ~0ull).size(), 48u);
}

TEST(InstanceName, NewNamesUseThisPidACounterAndFreshRandomness) {
  auto a = new_instance_name();
  auto b = new_instance_name();
  ASSERT_TRUE(a.ok() && b.ok());
  const std::regex shape("fh-fpm-([0-9a-f]+)-([0-9a-f]+)-[0-9a-f]{16}");
  std::smatch ma, mb;
  ASSERT_TRUE(std::regex_match(*a, ma, shape)) << *a;
  ASSERT_TRUE(std::regex_match(*b, mb, shape)) << *b;
  EXPECT_EQ(std::stoul(ma[1].str(), nullptr, 16), static_cast<unsigned long>(::getpid()));
  EXPECT_EQ(std::stoul(mb[2].str(), nullptr, 16), std::stoul(ma[2].str(), nullptr, 16) + 1);
  EXPECT_NE(a->substr(a->size() - 16), b->substr(b->size() - 16));
}

TEST(InstanceFiles, AllFilesLiveInTheSocketDirUnderTheInstanceName) {
  const InstanceFiles f{"/run/fh", "fh-fpm-2a-7-000000000000feed"};
  EXPECT_EQ(f.sock(), "/run/fh/fh-fpm-2a-7-000000000000feed.sock");
  EXPECT_EQ(f.conf(), "/run/fh/fh-fpm-2a-7-000000000000feed.conf");
  EXPECT_EQ(f.pid(), "/run/fh/fh-fpm-2a-7-000000000000feed.pid");
  EXPECT_EQ(f.log(), "/run/fh/fh-fpm-2a-7-000000000000feed.log");
  EXPECT_EQ(f.slow_log(), "/run/fh/fh-fpm-2a-7-000000000000feed.slow.log");
}

}  // namespace
}  // namespace flux::runtime::supervisor
