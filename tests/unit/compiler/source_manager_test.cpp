#include <gtest/gtest.h>

#include "compiler/source/source_manager.hpp"

namespace flux::compiler {
namespace {

TEST(SourceManager, ColumnsCountUnicodeScalarValues) {
  SourceManager sm;
  const FileId f = sm.add("t.toml", "a = 1\nb = \"\xC3\xA9x\"\r\nc");
  EXPECT_EQ(sm.line_col(f, 0).line, 1u);
  const LineCol x = sm.line_col(f, 13);  // the `x` after é
  EXPECT_EQ(x.line, 2u);
  EXPECT_EQ(x.column, 7u);
  EXPECT_EQ(sm.offset_of(f, 2, 7), 13u);
  EXPECT_EQ(sm.line_text(f, 2), "b = \"\xC3\xA9x\"");
  EXPECT_EQ(sm.line_text(f, 3), "c");
}

}  // namespace
}  // namespace flux::compiler
