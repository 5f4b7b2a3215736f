// php-behaviour.md §14.1 / §14.3: private directories, the binary check, the config write.

#include "runtime/supervisor/fs_safety.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace flux::runtime::supervisor {
namespace {

namespace fs = std::filesystem;

class FsSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "flux-supervisor-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    base_ = tmpl;
  }
  void TearDown() override { fs::remove_all(base_); }

  std::string path(const std::string& rel) const { return (base_ / rel).string(); }
  unsigned mode_of(const std::string& rel) const {
    struct stat st {};
    EXPECT_EQ(::lstat(path(rel).c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  std::string make_binary(const std::string& rel, mode_t mode = 0755) const {
    fs::create_directories(fs::path(path(rel)).parent_path());
    std::ofstream(path(rel)) << "#!/bin/sh\n";
    ::chmod(path(rel).c_str(), mode);
    return path(rel);
  }
  static std::string error_of(const Result<void>& r) { return r.ok() ? "" : r.error().message; }

  fs::path base_;
};

TEST_F(FsSafety, CreatesEveryMissingComponentWithMode0700) {
  ASSERT_TRUE(ensure_private_dir(path("a/b/c")).ok());
  EXPECT_EQ(mode_of("a"), 0700u);
  EXPECT_EQ(mode_of("a/b"), 0700u);
  EXPECT_EQ(mode_of("a/b/c"), 0700u);
}

TEST_F(FsSafety, AnExistingPrivateDirectoryIsFine) {
  fs::create_directory(path("run"));
  ::chmod(path("run").c_str(), 0750);
  EXPECT_TRUE(ensure_private_dir(path("run")).ok());
  EXPECT_TRUE(ensure_private_dir(path("run/") + "/").ok());
  EXPECT_EQ(mode_of("run"), 0750u);
}

TEST_F(FsSafety, ASymlinkAnywhereIsRefused) {
  fs::create_directory(path("real"));
  fs::create_directory_symlink(path("real"), path("link"));
  EXPECT_EQ(error_of(ensure_private_dir(path("link"))),
            "`" + path("link") + "` must not be or be below a symlink");
  EXPECT_EQ(error_of(ensure_private_dir(path("link/run"))),
            "`" + path("link") + "` must not be or be below a symlink");
  EXPECT_FALSE(fs::exists(path("real/run")));
}

TEST_F(FsSafety, AFileInThePathIsRefused) {
  std::ofstream(path("file")) << "x";
  EXPECT_EQ(error_of(ensure_private_dir(path("file/run"))),
            "`" + path("file") + "` is not a directory");
}

TEST_F(FsSafety, DotAndDotDotComponentsAreRefused) {
  EXPECT_FALSE(ensure_private_dir(path("a/../b")).ok());
  EXPECT_FALSE(ensure_private_dir(path("./b")).ok());
  EXPECT_FALSE(ensure_private_dir("relative/run").ok());
}

TEST_F(FsSafety, AGroupOrWorldWritableDirectoryIsRefused) {
  fs::create_directory(path("shared"));
  ::chmod(path("shared").c_str(), 0770);
  EXPECT_EQ(error_of(ensure_private_dir(path("shared"))),
            "`" + path("shared") + "` is group/world-writable");
  EXPECT_EQ(
      error_of(ensure_private_dir(path("shared/run"))),
      "`" + path("shared/run") + "` has a group/world-writable ancestor `" + path("shared") + "`");
  EXPECT_FALSE(fs::exists(path("shared/run")));
}

TEST_F(FsSafety, AStickyWorldWritableAncestorIsTrustedForOurOwnDirectory) {
  fs::create_directory(path("tmp"));
  ::chmod(path("tmp").c_str(), 01777);
  EXPECT_TRUE(ensure_private_dir(path("tmp/mine/run")).ok());
  // Without the sticky bit anyone could rename `mine` away.
  ::chmod(path("tmp").c_str(), 0777);
  EXPECT_FALSE(ensure_private_dir(path("tmp/mine/run")).ok());
}

TEST_F(FsSafety, AStickyAncestorDoesNotVouchForSomeoneElsesDirectory) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  fs::create_directory(path("tmp"));
  ::chmod(path("tmp").c_str(), 01777);
  fs::create_directory(path("tmp/theirs"));
  ASSERT_EQ(::chown(path("tmp/theirs").c_str(), 65534, 65534), 0);
  EXPECT_FALSE(ensure_private_dir(path("tmp/theirs/run")).ok());
}

TEST_F(FsSafety, ARegularBinaryInTrustedDirectoriesPasses) {
  EXPECT_EQ(error_of(check_binary(make_binary("sbin/php-fpm"))), "");
  if (fs::exists("/usr/sbin/php-fpm8.2")) {
    EXPECT_EQ(error_of(check_binary("/usr/sbin/php-fpm8.2")), "");
  }
}

TEST_F(FsSafety, ABinaryThatIsOrIsBelowASymlinkIsRefused) {
  const std::string bin = make_binary("sbin/php-fpm");
  fs::create_symlink(bin, path("sbin/php-fpm-link"));
  fs::create_directory_symlink(path("sbin"), path("sbin-link"));
  EXPECT_EQ(error_of(check_binary(path("sbin/php-fpm-link"))),
            "`" + path("sbin/php-fpm-link") + "` must not be or be below a symlink");
  EXPECT_EQ(error_of(check_binary(path("sbin-link/php-fpm"))),
            "`" + path("sbin-link/php-fpm") + "` must not be or be below a symlink");
}

TEST_F(FsSafety, AWritableBinaryOrAncestorIsRefused) {
  const std::string bin = make_binary("sbin/php-fpm", 0775);
  EXPECT_EQ(error_of(check_binary(bin)), "`" + bin + "` has an untrusted owner or mode");
  ::chmod(bin.c_str(), 0755);
  ::chmod(path("sbin").c_str(), 0777);
  EXPECT_EQ(
      error_of(check_binary(bin)),
      "`" + bin + "` has an untrusted or group/world-writable ancestor `" + path("sbin") + "`");
}

TEST_F(FsSafety, ABinaryOwnedBySomeoneElseIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  const std::string bin = make_binary("sbin/php-fpm");
  ASSERT_EQ(::chown(bin.c_str(), 65534, 65534), 0);
  EXPECT_EQ(error_of(check_binary(bin)), "`" + bin + "` has an untrusted owner or mode");
}

TEST_F(FsSafety, ABinaryMustBeAnExistingAbsoluteRegularFile) {
  fs::create_directories(path("sbin/dir"));
  EXPECT_EQ(error_of(check_binary(path("sbin/dir"))),
            "`" + path("sbin/dir") + "` must be a regular file");
  EXPECT_EQ(error_of(check_binary("php-fpm")), "`php-fpm` must be an absolute path");
  EXPECT_FALSE(check_binary(path("sbin/../sbin/dir")).ok());
  EXPECT_NE(error_of(check_binary(path("sbin/missing"))).find("No such file or directory"),
            std::string::npos);
}

TEST_F(FsSafety, ThePrivateFileIsCreatedOnceWithMode0600) {
  ASSERT_TRUE(write_private_file(path("x.conf"), "[global]\n").ok());
  EXPECT_EQ(mode_of("x.conf"), 0600u);
  std::ifstream in(path("x.conf"));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "[global]\n");
  EXPECT_FALSE(write_private_file(path("x.conf"), "again").ok());
  fs::create_symlink(path("elsewhere"), path("y.conf"));
  EXPECT_FALSE(write_private_file(path("y.conf"), "x").ok());
  EXPECT_FALSE(fs::exists(path("elsewhere")));
}

TEST_F(FsSafety, RemovingAMissingFileIsFine) {
  std::ofstream(path("x.sock")) << "";
  remove_file(path("x.sock"));
  EXPECT_FALSE(fs::exists(path("x.sock")));
  remove_file(path("x.sock"));
}

}  // namespace
}  // namespace flux::runtime::supervisor
