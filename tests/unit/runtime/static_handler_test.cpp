// Static files against a real directory tree: index files, dotfiles, symlink escapes, PHP
// sources never served, ranges, conditional requests, MIME types.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <flatbuffers/flatbuffers.h>

#include "runtime/static/open_file_cache.hpp"
#include "runtime/static/static_handler.hpp"
#include "snapshot/fxs_generated.h"

namespace flux::runtime::statics {
namespace {

namespace fs = std::filesystem;

class StaticHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/flux-static-XXXXXX";
    base_ = ::mkdtemp(tmpl);
    root_ = base_ / "root";
    fs::create_directories(root_ / "dir");
    fs::create_directories(root_ / "app");
    fs::create_directories(root_ / ".git");
    fs::create_directories(root_ / "private");
    write(root_ / "hello.txt", "hello world\n");
    write(root_ / "dir" / "index.html", "<p>index</p>");
    write(root_ / "app" / "index.php", "<?php echo 1;");
    write(root_ / "secret.php", "<?php $password = 1;");
    write(root_ / "Upper.PHP", "<?php");
    write(root_ / ".env", "SECRET=1");
    write(root_ / ".git" / "config", "[core]");
    write(root_ / "private" / "x.txt", "no");
    write(base_ / "outside.txt", "outside");
    fs::create_symlink(base_ / "outside.txt", root_ / "escape.txt");
    fs::create_symlink("hello.txt", root_ / "inside-link.txt");
    fs::create_symlink(base_, root_ / "escape-dir");
    build_snapshot();
    root_fd_ = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  }

  void TearDown() override {
    ::close(root_fd_);
    fs::remove_all(base_);
  }

  static void write(const fs::path& p, const std::string& data) { std::ofstream(p) << data; }

  void build_snapshot() {
    fbb_.ForceDefaults(true);
    auto index = fbb_.CreateVectorOfStrings({"index.html", "index.php"});
    auto deny = fbb_.CreateVectorOfStrings({"/private/"});
    fxs::WebBuilder wb(fbb_);
    wb.add_index_files(index);
    wb.add_deny_dotfiles(true);
    wb.add_deny_path_prefixes(deny);
    auto web2 = wb.Finish();
    std::vector<flatbuffers::Offset<fxs::MimeEntry>> mime = {
        fxs::CreateMimeEntryDirect(fbb_, "html", "text/html; charset=utf-8"),
        fxs::CreateMimeEntryDirect(fbb_, "txt", "text/plain; charset=utf-8")};
    auto mime_vec = fbb_.CreateVectorOfSortedTables(&mime);
    fxs::RoutingBuilder rb(fbb_);
    rb.add_mime(mime_vec);
    auto routing = rb.Finish();
    auto cfg = fxs::CreateConfig(fbb_, 0, 0, 0, 0, 0, 0, web2);
    fxs::SnapshotBuilder sb(fbb_);
    sb.add_config(cfg);
    sb.add_routing(routing);
    fbb_.Finish(sb.Finish());
    snapshot_ = flatbuffers::GetRoot<fxs::Snapshot>(fbb_.GetBufferPointer());
  }

  StaticResult serve(const std::string& path, const std::string& method = "GET",
                     std::vector<http::Header> headers = {}, std::uint64_t cache_scope = 0) {
    req_.method = method;
    req_.path = path;
    req_.headers = std::move(headers);
    StaticContext ctx{snapshot_->config()->web(), root_fd_, snapshot_->routing(), php_exts_, path};
    ctx.cache_scope = cache_scope;
    return serve_static(ctx, req_);
  }

  std::string header(const http::Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (http::iequals(n, name)) return v;
    }
    return {};
  }

  fs::path base_;
  fs::path root_;
  int root_fd_ = -1;
  flatbuffers::FlatBufferBuilder fbb_;
  const fxs::Snapshot* snapshot_ = nullptr;
  std::vector<std::string> php_exts_{"php"};
  http::Request req_;
};

TEST_F(StaticHandlerTest, ServesFileWithValidatorsAndMime) {
  auto r = serve("/hello.txt");
  ASSERT_EQ(r.declined, Decline::kNone);
  EXPECT_EQ(r.response.status, 200u);
  EXPECT_TRUE(r.response.file.present());
  EXPECT_EQ(r.response.file.length(), 12u);
  EXPECT_EQ(header(r.response, "content-type"), "text/plain; charset=utf-8");
  EXPECT_FALSE(header(r.response, "etag").empty());
  EXPECT_FALSE(header(r.response, "last-modified").empty());
}

TEST_F(StaticHandlerTest, ConditionalGetGives304) {
  const std::string etag = header(serve("/hello.txt").response, "etag");
  auto r = serve("/hello.txt", "GET", {{"If-None-Match", etag}});
  EXPECT_EQ(r.response.status, 304u);
  EXPECT_FALSE(r.response.file.present());
}

TEST_F(StaticHandlerTest, RangeGives206And416) {
  auto r = serve("/hello.txt", "GET", {{"Range", "bytes=6-10"}});
  EXPECT_EQ(r.response.status, 206u);
  EXPECT_EQ(r.response.file.offset(), 6u);
  EXPECT_EQ(r.response.file.length(), 5u);
  EXPECT_EQ(header(r.response, "content-range"), "bytes 6-10/12");
  r = serve("/hello.txt", "GET", {{"Range", "bytes=50-"}});
  EXPECT_EQ(r.response.status, 416u);
  EXPECT_EQ(header(r.response, "content-range"), "bytes */12");
}

TEST_F(StaticHandlerTest, DirectoryRedirectsThenServesIndex) {
  auto r = serve("/dir");
  EXPECT_EQ(r.response.status, 301u);
  EXPECT_EQ(header(r.response, "location"), "/dir/");
  r = serve("/dir/");
  EXPECT_EQ(r.response.status, 200u);
  EXPECT_EQ(header(r.response, "content-type"), "text/html; charset=utf-8");
}

TEST_F(StaticHandlerTest, PhpFilesAndPhpIndexesAreDeclinedNeverServed) {
  EXPECT_EQ(serve("/secret.php").declined, Decline::kPhpScript);
  EXPECT_EQ(serve("/Upper.PHP").declined, Decline::kPhpScript);
  EXPECT_EQ(serve("/app/").declined, Decline::kPhpScript);
  EXPECT_EQ(serve("/secret%2ephp").declined, Decline::kPhpScript);
}

TEST_F(StaticHandlerTest, DotfilesAndDeniedPrefixesAreRefused) {
  EXPECT_EQ(serve("/.env").response.status, 404u);
  EXPECT_EQ(serve("/.git/config").response.status, 404u);
  EXPECT_EQ(serve("/%2egit/config").response.status, 404u);
  EXPECT_EQ(serve("/private/x.txt").response.status, 403u);
  EXPECT_EQ(serve("/%70rivate/x.txt").response.status, 403u);
}

TEST_F(StaticHandlerTest, SymlinksCannotEscapeTheRoot) {
  EXPECT_EQ(serve("/escape.txt").response.status, 403u);
  EXPECT_EQ(serve("/escape-dir/outside.txt").response.status, 403u);
  auto inside = serve("/inside-link.txt");
  EXPECT_EQ(inside.response.status, 200u);
}

TEST_F(StaticHandlerTest, TraversalAndBadEncodingAreRejected) {
  EXPECT_EQ(serve("/../outside.txt").response.status, 400u);
  EXPECT_EQ(serve("/a/../../outside.txt").response.status, 400u);
  EXPECT_EQ(serve("/%2e%2e/outside.txt").response.status, 400u);
  EXPECT_EQ(serve("/hello.txt%00.html").response.status, 400u);
  EXPECT_EQ(serve("/..%2foutside.txt").response.status, 400u);
  EXPECT_EQ(serve("/%c0%ae%c0%ae/outside.txt").response.status, 400u);
}

TEST_F(StaticHandlerTest, MissingFilesAreDeclined) {
  EXPECT_EQ(serve("/nope.txt").declined, Decline::kMissing);
  EXPECT_EQ(serve("/hello.txt/").declined, Decline::kMissing);
}

TEST_F(StaticHandlerTest, OpenFileCacheServesHitsAndPicksUpChangesAfterItsLifetime) {
  const std::uint64_t scope = 0x5eed0001;  // unique to this test
  auto first = serve("/hello.txt", "GET", {}, scope);
  auto second = serve("/hello.txt", "GET", {}, scope);
  ASSERT_EQ(second.response.status, 200u);
  EXPECT_EQ(header(first.response, "etag"), header(second.response, "etag"));
  EXPECT_EQ(second.response.file.length(), 12u);
  EXPECT_EQ(second.response.file.in_memory(), "hello world\n");  // small files stay in memory
  auto range = serve("/hello.txt", "GET", {{"Range", "bytes=6-10"}}, scope);
  EXPECT_EQ(range.response.status, 206u);
  EXPECT_EQ(range.response.file.in_memory(), "world");
  write(root_ / "hello.txt", "changed content, longer\n");
  std::this_thread::sleep_for(OpenFileCache::kLifetime + std::chrono::milliseconds(100));
  auto third = serve("/hello.txt", "GET", {}, scope);
  EXPECT_NE(header(third.response, "etag"), header(first.response, "etag"));
  EXPECT_EQ(third.response.file.length(), 24u);
  // A PHP script is never served, cached or not.
  EXPECT_EQ(serve("/secret.php", "GET", {}, scope).declined, Decline::kPhpScript);
}

TEST_F(StaticHandlerTest, OtherMethodsOnFilesGet405) {
  auto r = serve("/hello.txt", "POST");
  EXPECT_EQ(r.response.status, 405u);
  EXPECT_EQ(header(r.response, "allow"), "GET, HEAD");
}

}  // namespace
}  // namespace flux::runtime::statics
