// php-behaviour.md §11: X-Accel-Redirect and X-Sendfile target validation.

#include "runtime/php/offload.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "temp_tree.hpp"

namespace flux::runtime::php {
namespace {

using test::tree;

class OffloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RootDir::open(tree().root.string(), false, root_), RootError::kNone);
  }
  OffloadTarget accel(std::string_view target) {
    return validate_offload(root_, make_fpm_root(std::nullopt, root_.canonical()), allowed_,
                            {OffloadKind::kAccelRedirect, std::string(target)});
  }
  OffloadTarget sendfile(std::string_view target, const std::string& fpm_root) {
    return validate_offload(root_, make_fpm_root(fpm_root, ""), allowed_,
                            {OffloadKind::kSendfile, std::string(target)});
  }
  RootDir root_;
  std::vector<std::string> allowed_{"php"};
};

TEST_F(OffloadTest, AccelRedirectServesStaticFileUnderRoot) {
  const OffloadTarget t = accel("/download.zip?token=1");
  ASSERT_EQ(t.verdict, OffloadVerdict::kServe) << t.reason;
  EXPECT_EQ(t.local_path, root_.canonical() + "/download.zip");
  ASSERT_TRUE(t.file.valid());
  char buf[5] = {};
  EXPECT_EQ(::pread(t.file.get(), buf, 5, 0), 5);
  EXPECT_EQ(std::string(buf, 5), "<?php");
  EXPECT_TRUE(S_ISREG(t.st.st_mode));
}

TEST_F(OffloadTest, AccelRedirectDecodesOnce) {
  EXPECT_EQ(accel("/%64ownload.zip").verdict, OffloadVerdict::kServe);
  EXPECT_EQ(accel("/%252e%252e/x.zip").verdict, OffloadVerdict::kNotFound);  // "%2e%2e" dir
}

TEST_F(OffloadTest, AccelRedirectControlCharactersAre502) {
  EXPECT_EQ(accel("/a\x01.zip").verdict, OffloadVerdict::kBadGateway);
  EXPECT_EQ(accel("download.zip").verdict, OffloadVerdict::kBadGateway);  // not starting with '/'
}

TEST_F(OffloadTest, AccelRedirectSegmentViolationsAre403) {
  for (const char* t : {"/../outside/x.zip", "/%2e%2e/outside/x.zip", "/.git/config", "/a%5Cb.zip",
                        "/con.zip", "/a%0a.zip", "/%zz.zip", "/%ff.zip"}) {
    EXPECT_EQ(accel(t).verdict, OffloadVerdict::kForbidden) << t;
  }
}

TEST_F(OffloadTest, ScriptsAndExtensionlessFilesAreRefused) {
  for (const char* t : {"/info.php", "/app.PHP", "/wp-config", "/file.", "/blog", "/script.zip",
                        "/fifo.zip", "/out.zip", "/"}) {
    EXPECT_EQ(accel(t).verdict, OffloadVerdict::kForbidden) << t;
  }
}

TEST_F(OffloadTest, MissingFileIs404) {
  EXPECT_EQ(accel("/nope.zip").verdict, OffloadVerdict::kNotFound);
}

TEST_F(OffloadTest, SendfileMapsFpmRootOntoRoot) {
  const OffloadTarget t = sendfile("/var/fpm/app/download.zip", "/flux-missing/fpm/app");
  EXPECT_EQ(t.verdict, OffloadVerdict::kForbidden);  // not under this fpm_root
  const OffloadTarget ok = sendfile("/flux-missing/fpm/app/download.zip", "/flux-missing/fpm/app/");
  ASSERT_EQ(ok.verdict, OffloadVerdict::kServe) << ok.reason;
  EXPECT_EQ(ok.local_path, root_.canonical() + "/download.zip");
}

TEST_F(OffloadTest, SendfileRefusesOutsidePrefixLookalikeAndDotDot) {
  const std::string fr = "/flux-missing/app";
  EXPECT_EQ(sendfile("/flux-missing/application/download.zip", fr).reason,
            "php X-Sendfile target is outside php.fpm_root");
  EXPECT_EQ(sendfile("/flux-missing/app/../app/download.zip", fr).reason,
            "php X-Sendfile target escapes php root");
  EXPECT_EQ(sendfile("/flux-missing/app/x\x7f.zip", fr).verdict, OffloadVerdict::kBadGateway);
  EXPECT_EQ(sendfile("/flux-missing/app/out.zip", fr).verdict, OffloadVerdict::kForbidden);
  EXPECT_EQ(sendfile("/flux-missing/app/.git/config", fr).verdict, OffloadVerdict::kForbidden);
}

TEST_F(OffloadTest, SendfileWithWindowsFpmRoot) {
  const OffloadTarget t = sendfile("C:\\app\\download.zip", "C:\\app");
  ASSERT_EQ(t.verdict, OffloadVerdict::kServe) << t.reason;
  EXPECT_EQ(t.local_path, root_.canonical() + "/download.zip");
}

}  // namespace
}  // namespace flux::runtime::php
