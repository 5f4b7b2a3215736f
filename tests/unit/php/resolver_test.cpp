// php-behaviour.md §3.2-§3.4 and §4 against a real directory tree with symlinks pointing
// outside the root, run once with openat2 and once with the O_NOFOLLOW component walk.

#include "runtime/php/resolver.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "temp_tree.hpp"

namespace flux::runtime::php {
namespace {

namespace fs = std::filesystem;

using test::tree;

struct Case {
  const char* path;
  const char* query;
  ResolveKind kind;
  const char* script_name;  // kExecute: SCRIPT_NAME; kRedirect: Location
  const char* local;        // kExecute: local path relative to the root
};

constexpr auto E = ResolveKind::kExecute;
constexpr auto D = ResolveKind::kDecline;
constexpr auto R = ResolveKind::kRedirect;
constexpr auto N = ResolveKind::kNotFound;
constexpr auto F = ResolveKind::kForbidden;

// try_files = front-controller, path_info = disabled, deny /uploads/.
const Case kFrontControllerCorpus[] = {
    {"/", "", E, "/index.php", "index.php"},
    {"/index.php", "", E, "/index.php", "index.php"},
    {"/info.php", "a=1", E, "/info.php", "info.php"},
    {"//info.php", "", E, "/info.php", "info.php"},
    {"/./info.php", "", E, "/info.php", "info.php"},
    {"/%69nfo.php", "", E, "/info.php", "info.php"},
    {"/style.css", "", D, nullptr, nullptr},
    {"/readme", "", D, nullptr, nullptr},
    {"/missing", "", E, "/index.php", "index.php"},
    {"/style.css/", "", E, "/index.php", "index.php"},
    {"/missing.php", "", N, nullptr, nullptr},
    {"/info.PHP", "", N, nullptr, nullptr},
    {"/readme/x.php", "", N, nullptr, nullptr},
    {"/blog", "", R, "/blog/", nullptr},
    {"/blog", "x=1&y", R, "/blog/?x=1&y", nullptr},
    {"//blog", "", R, "/blog/", nullptr},
    {"///blog", "", R, "/blog/", nullptr},
    {"/blog/", "", E, "/blog/index.php", "blog/index.php"},
    {"/blog//post.php", "", E, "/blog/post.php", "blog/post.php"},
    {"/empty", "", E, "/index.php", "index.php"},
    {"/uploads/", "", E, "/index.php", "index.php"},
    {"/link_in.php", "", E, "/link_in.php", "info.php"},
    {"/updir.php", "", E, "/updir.php", "info.php"},
    {"/libdir/real.php", "", E, "/libdir/real.php", "lib/real.php"},
    {"/../outside/secret.php", "", F, nullptr, nullptr},
    {"/%2e%2e/outside/secret.php", "", F, nullptr, nullptr},
    {"/%2E%2E%2Foutside%2Fsecret.php", "", F, nullptr, nullptr},
    {"/blog/%2e%2e/info.php", "", F, nullptr, nullptr},
    {"/blog/..%2finfo.php", "", F, nullptr, nullptr},
    {"/.git/config", "", F, nullptr, nullptr},
    {"/.env", "", F, nullptr, nullptr},
    {"/.hidden.php", "", F, nullptr, nullptr},
    {"/%2egit/config", "", F, nullptr, nullptr},
    {"/link_out.php", "", F, nullptr, nullptr},
    {"/abs_out.php", "", F, nullptr, nullptr},
    {"/dotdot_out.php", "", F, nullptr, nullptr},
    {"/magic.php", "", F, nullptr, nullptr},
    {"/linkdir/secret.php", "", F, nullptr, nullptr},
    {"/linkdir/", "", F, nullptr, nullptr},
    {"/linkdir", "", F, nullptr, nullptr},
    {"/txt_to_php.txt", "", F, nullptr, nullptr},
    {"/php_to_txt.php", "", F, nullptr, nullptr},
    {"/to_hidden.php", "", F, nullptr, nullptr},
    {"/loop.php", "", F, nullptr, nullptr},
    {"/fifo.php", "", F, nullptr, nullptr},
    {"/dir.php", "", F, nullptr, nullptr},
    {"/uploads/evil.php", "", F, nullptr, nullptr},
    {"/%75ploads/evil.php", "", F, nullptr, nullptr},
    {"/uploads/x.jpg/evil.php", "", F, nullptr, nullptr},
    {"/uploads_link.php", "", F, nullptr, nullptr},
    {"/info.php/extra", "", F, nullptr, nullptr},
    {"/a%5Cb.php", "", F, nullptr, nullptr},
    {"/c:x.php", "", F, nullptr, nullptr},
    {"/con.php", "", F, nullptr, nullptr},
    {"/com1.php", "", F, nullptr, nullptr},
    {"/LPT%C2%B9.php", "", F, nullptr, nullptr},
    {"/info.php%00.txt", "", F, nullptr, nullptr},
    {"/info.php%0a", "", F, nullptr, nullptr},
    {"/info.php.", "", F, nullptr, nullptr},
    {"/info.php%20", "", F, nullptr, nullptr},
    {"/%ff.php", "", F, nullptr, nullptr},
    {"/%zz", "", F, nullptr, nullptr},
    {"/%", "", F, nullptr, nullptr},
    {"/info.php/../../outside/secret.php", "", F, nullptr, nullptr},
};

class ResolverCorpus : public ::testing::TestWithParam<LookupMethod> {
 protected:
  void expect_case(const ScriptResolver& resolver, const Case& c) {
    const Resolution r = resolver.resolve(c.path, c.query);
    ASSERT_EQ(r.kind, c.kind) << c.path << " (" << r.reason << ")";
    if (c.kind == ResolveKind::kRedirect) {
      EXPECT_EQ(r.location, c.script_name) << c.path;
    }
    if (c.kind != ResolveKind::kExecute) return;
    EXPECT_EQ(r.script.script_name, c.script_name) << c.path;
    const std::string canonical_root = fs::canonical(tree().root).string();
    EXPECT_EQ(r.script.local_path, canonical_root + "/" + c.local) << c.path;
    EXPECT_EQ(r.script.script_filename, r.script.local_path) << c.path;
    EXPECT_EQ(r.script.document_root, canonical_root);
  }

  RootDir root_;
  void SetUp() override {
    ASSERT_EQ(RootDir::open(tree().root.string(), false, root_), RootError::kNone);
  }
  ScriptResolver make(ScriptConfig c) const {
    return ScriptResolver(root_, std::move(c), make_fpm_root(std::nullopt, root_.canonical()),
                          GetParam());
  }
};

ScriptConfig deny_uploads() {
  ScriptConfig c;
  c.deny_path_prefixes = {"/uploads/"};
  return c;
}

TEST_P(ResolverCorpus, TraversalAndInjectionCorpusFrontController) {
  const ScriptResolver resolver = make(deny_uploads());
  for (const Case& c : kFrontControllerCorpus) expect_case(resolver, c);
}

TEST_P(ResolverCorpus, StrictTryFilesOnlyRunsExistingScripts) {
  ScriptConfig c = deny_uploads();
  c.try_files = TryFiles::kStrict;
  const ScriptResolver resolver = make(c);
  const Case cases[] = {
      {"/missing", "", N, nullptr, nullptr},         {"/empty", "", N, nullptr, nullptr},
      {"/", "", E, "/index.php", "index.php"},       {"/blog", "", R, "/blog/", nullptr},
      {"/style.css", "", D, nullptr, nullptr},       {"/missing.php", "", N, nullptr, nullptr},
      {"/info.php", "", E, "/info.php", "info.php"},
  };
  for (const Case& k : cases) expect_case(resolver, k);
}

TEST_P(ResolverCorpus, SplitPathInfoKeepsTrailingSegments) {
  ScriptConfig c = deny_uploads();
  c.path_info = PathInfoMode::kSplit;
  const ScriptResolver resolver = make(c);
  const Resolution r = resolver.resolve("/info.php/extra/path", "");
  ASSERT_EQ(r.kind, ResolveKind::kExecute) << r.reason;
  EXPECT_EQ(r.script.script_name, "/info.php");
  EXPECT_EQ(r.script.path_info, "/extra/path");
  EXPECT_EQ(r.script.path_translated, fs::canonical(tree().root).string() + "/extra/path");
  const Case cases[] = {
      {"/info.php/.git", "", F, nullptr, nullptr},
      {"/uploads/x.jpg/evil.php", "", F, nullptr, nullptr},
      {"/style.css/x.php", "", N, nullptr, nullptr},
      {"/missing.php/x", "", N, nullptr, nullptr},
      {"/info.php/%0afoo", "", F, nullptr, nullptr},
      {"/link_out.php/x", "", F, nullptr, nullptr},
  };
  for (const Case& k : cases) expect_case(resolver, k);
}

TEST_P(ResolverCorpus, DirectoryIndexUnderDeniedPrefixIsForbidden) {
  ScriptConfig c;
  c.deny_path_prefixes = {"/blog"};
  const ScriptResolver resolver = make(c);
  EXPECT_EQ(resolver.resolve("/blog/", "").kind, ResolveKind::kForbidden);
  EXPECT_EQ(resolver.resolve("/blog/post.php", "").kind, ResolveKind::kForbidden);
}

INSTANTIATE_TEST_SUITE_P(Methods, ResolverCorpus,
                         ::testing::Values(LookupMethod::kOpenat2, LookupMethod::kComponentWalk),
                         [](const auto& info) {
                           return info.param == LookupMethod::kOpenat2 ? "Openat2"
                                                                       : "ComponentWalk";
                         });

TEST(PhpResolverPaths, FpmRootMapsScriptFilenameComponentByComponent) {
  RootDir root;
  ASSERT_EQ(RootDir::open(tree().root.string(), false, root), RootError::kNone);
  const ScriptResolver resolver(root, ScriptConfig{},
                                make_fpm_root("/flux-test-missing/html/", ""));
  const Resolution r = resolver.resolve("/blog/", "");
  ASSERT_EQ(r.kind, ResolveKind::kExecute);
  EXPECT_EQ(r.script.script_filename, "/flux-test-missing/html/blog/index.php");
  EXPECT_EQ(r.script.document_root, "/flux-test-missing/html/");
}

TEST(PhpResolverPaths, WindowsFpmRootUsesBackslash) {
  const FpmRoot win = make_fpm_root("C:\\inetpub\\wwwroot", "");
  EXPECT_EQ(win.separator, '\\');
  const std::vector<std::string> parts{"blog", "index.php"};
  EXPECT_EQ(map_script_filename(win, parts), "C:\\inetpub\\wwwroot\\blog\\index.php");
  EXPECT_EQ(map_path_translated(win, "/a/b"), "C:\\inetpub\\wwwroot\\a\\b");
}

TEST(PhpResolverPaths, UnsafeComponentsAreNotMapped) {
  const FpmRoot r = make_fpm_root("/srv/fpm", "");
  const std::vector<std::string> colon{"a:b.php"};
  EXPECT_FALSE(map_script_filename(r, colon).has_value());
  const std::vector<std::string> hidden{".well-known", "x.php"};
  EXPECT_EQ(map_script_filename(r, hidden), "/srv/fpm/.well-known/x.php");
  EXPECT_FALSE(map_path_translated(r, "/a//b").has_value());
  EXPECT_FALSE(map_path_translated(r, "/.git").has_value());
  EXPECT_FALSE(map_path_translated(make_fpm_root(std::string("/srv/\x01"), ""), "/a"));
}

TEST(PhpRootDir, RefusesSymlinkedRootUnlessAllowed) {
  const fs::path link = tree().base / "root_link";
  fs::create_symlink(tree().root, link);
  RootDir r;
  EXPECT_EQ(RootDir::open(link.string(), false, r), RootError::kSymlinkedRoot);
  EXPECT_EQ(RootDir::open(link.string(), true, r), RootError::kNone);
  EXPECT_EQ(r.canonical(), fs::canonical(tree().root).string());
  fs::remove(link);
}

TEST(PhpRootDir, RefusesMissingRelativeAndFileRoots) {
  RootDir r;
  EXPECT_EQ(RootDir::open("relative/root", false, r), RootError::kNotAbsolute);
  EXPECT_EQ(RootDir::open((tree().base / "nope").string(), false, r), RootError::kIoError);
  EXPECT_EQ(RootDir::open((tree().root / "info.php").string(), false, r),
            RootError::kNotADirectory);
}

TEST(PhpRedirectLocation, NeverProtocolRelativeAndEncodesUnsafeBytes) {
  EXPECT_EQ(directory_redirect_location("//evil.example", ""), "/evil.example/");
  EXPECT_EQ(directory_redirect_location("/a b", "q=\x01"), "/a%20b/?q=%01");
  EXPECT_EQ(directory_redirect_location("/caf\xC3\xA9", ""), "/caf%C3%A9/");
}

}  // namespace
}  // namespace flux::runtime::php
