#include <gtest/gtest.h>

#include <algorithm>

#include "compiler/emit/mime.hpp"

namespace flux::compiler::emit {
namespace {

TEST(MimeTable, IsSortedAndUniqueForBinarySearch) {
  const auto types = mime_types();
  EXPECT_TRUE(std::is_sorted(types.begin(), types.end(),
                             [](const MimeType& a, const MimeType& b) { return a.ext < b.ext; }));
  EXPECT_EQ(std::adjacent_find(types.begin(), types.end(),
                               [](const MimeType& a, const MimeType& b) { return a.ext == b.ext; }),
            types.end());
}

TEST(MimeTable, CoversTheCommonWebFormats) {
  const auto types = mime_types();
  for (const char* ext : {"html", "css",  "js",  "mjs",  "json", "txt",  "xml",  "svg",   "png",
                          "jpg",  "jpeg", "gif", "webp", "avif", "ico",  "woff", "woff2", "ttf",
                          "otf",  "pdf",  "zip", "gz",   "mp4",  "webm", "mp3",  "wasm",  "map"}) {
    EXPECT_TRUE(std::any_of(types.begin(), types.end(), [&](const MimeType& m) {
      return m.ext == ext;
    })) << ext;
  }
}

}  // namespace
}  // namespace flux::compiler::emit
