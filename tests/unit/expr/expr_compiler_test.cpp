#include "compiler/expr/expr_compiler.hpp"

#include <gtest/gtest.h>

namespace flux::compiler::expr {
namespace {

TEST(ExprCompiler, TemplateWithoutBraceIsLiteral) {
  std::vector<ExprDiagnostic> diags;
  auto c = compile_expr("https://example.test/", Form::Template, Context{Site::RedirectTarget, {}},
                        diags);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->literal);
  EXPECT_EQ(c->canonical_source, "https://example.test/");
  EXPECT_TRUE(diags.empty());
}

}  // namespace
}  // namespace flux::compiler::expr
