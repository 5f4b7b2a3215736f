#include "compiler/validate/validate.hpp"

#include "compiler/validate/walker.hpp"

namespace flux::compiler {

ir::Document validate(Context& ctx, const SyntaxNode& root) {
  ir::Document doc;
  doc.root = walk_table(ctx, TableType::Config, root, "");
  doc.regexes = std::move(ctx.regexes());
  cross_checks(ctx, doc);
  compile_expressions(ctx, doc);
  if (!ctx.diags().has_errors()) merge_overlays(doc);
  return doc;
}

}  // namespace flux::compiler
