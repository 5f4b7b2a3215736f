// The static bytecode verifier (expressions.md §6) rejects malformed programs, and programs
// survive the FlatBuffers round trip through fxs::ExprProgram.
#include "snapshot/expr/verifier.hpp"

#include <gtest/gtest.h>

#include "compiler/expr/fxs_write.hpp"
#include "expr_test_util.hpp"
#include "runtime/expr/evaluator.hpp"
#include "runtime/expr/standard_vars.hpp"
#include "snapshot/expr/opcode.hpp"

namespace flux::snapshot::expr {
namespace {

ExprProgramData predicate(std::vector<std::uint32_t> code, std::uint8_t max_stack) {
  ExprProgramData p;
  p.kind = Kind::Predicate;
  p.code = std::move(code);
  p.strings = {"a", "b"};
  p.ints = {1};
  p.sets = {ConstSetData{{"x", "y"}, {}}, ConstSetData{{}, {1, 2}}};
  p.max_stack = max_stack;
  return p;
}

std::string verify(const ExprProgramData& p) {
  auto r = verify_program(ProgramViews::of(p).view());
  return r.ok() ? "" : r.error().message;
}

// A valid baseline: a == "b" || b in {x, y}
std::vector<std::uint32_t> good_code() {
  return {encode_ref(RefKind::Header, 0),
          encode(Op::PushStr, 1),
          encode(Op::Eq),
          encode(Op::JumpIfTrueKeep, 4),
          encode_ref(RefKind::Cookie, 1),
          encode(Op::InSet, 0),
          encode(Op::Not),
          encode(Op::Ret)};
}

TEST(ExprVerifier, AcceptsAValidProgram) { EXPECT_EQ(verify(predicate(good_code(), 2)), ""); }

TEST(ExprVerifier, RejectsUnknownOpcode) {
  auto code = good_code();
  code[2] = encode(static_cast<Op>(99));
  EXPECT_NE(verify(predicate(code, 2)).find("unknown opcode 99"), std::string::npos);
  code[2] = 0;
  EXPECT_NE(verify(predicate(code, 2)).find("unknown opcode 0"), std::string::npos);
}

TEST(ExprVerifier, RejectsBackwardAndOutOfRangeJumps) {
  auto code = good_code();
  code[3] = encode(Op::JumpIfTrueKeep, 0);
  EXPECT_NE(verify(predicate(code, 2)).find("jump is not forward"), std::string::npos);
  code[3] = encode(Op::JumpIfTrueKeep, 5);
  EXPECT_NE(verify(predicate(code, 2)).find("jump target out of range"), std::string::npos);
  code[3] = encode(Op::JumpIfTrueKeep, kMaxOperand);  // "backward" through wrap-around
  EXPECT_NE(verify(predicate(code, 2)).find("jump target out of range"), std::string::npos);
}

TEST(ExprVerifier, RejectsStackUnderflowAndOverflow) {
  EXPECT_NE(verify(predicate({encode(Op::Eq), encode(Op::Ret)}, 0)).find("stack underflow"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::Not), encode(Op::Ret)}, 0)).find("stack underflow"),
            std::string::npos);
  std::vector<std::uint32_t> deep(33, encode(Op::PushInt, 0));
  deep.push_back(encode(Op::Ret));
  EXPECT_NE(verify(predicate(deep, 32)).find("stack deeper than 32"), std::string::npos);
}

TEST(ExprVerifier, RejectsBadConstantIndices) {
  EXPECT_NE(verify(predicate({encode(Op::PushStr, 2), encode(Op::PushStr, 0), encode(Op::Eq),
                              encode(Op::Ret)},
                             2))
                .find("string constant out of range"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::PushInt, 1), encode(Op::PushInt, 0), encode(Op::Eq),
                              encode(Op::Ret)},
                             2))
                .find("int constant out of range"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode_ref(RefKind::Arg, 9), encode(Op::Exists), encode(Op::Ret)}, 1))
                .find("name out of range"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::PushStr, 0), encode(Op::InSet, 2), encode(Op::Ret)}, 1))
                .find("set out of range"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::HasCookiePrefix, 5), encode(Op::Ret)}, 1))
                .find("string constant out of range"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::Load, 8), encode(Op::Exists), encode(Op::Ret)}, 1))
                .find("unknown variable"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::LoadRef, 0 | 4u << kRefNameBits), encode(Op::Exists),
                              encode(Op::Ret)},
                             1))
                .find("unknown reference kind"),
            std::string::npos);
}

TEST(ExprVerifier, RejectsTypeErrors) {
  EXPECT_NE(verify(predicate({encode(Op::PushStr, 0), encode(Op::PushInt, 0), encode(Op::Eq),
                              encode(Op::Ret)},
                             2))
                .find("operand types"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::PushInt, 0), encode(Op::PushInt, 0), encode(Op::Prefix),
                              encode(Op::Ret)},
                             2))
                .find("operand types"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::PushInt, 0), encode(Op::InSet, 0), encode(Op::Ret)}, 1))
                .find("set element type mismatch"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::PushStr, 0), encode(Op::Not), encode(Op::Ret)}, 1))
                .find("wrong type"),
            std::string::npos);
  EXPECT_NE(
      verify(predicate({encode(Op::PushStr, 0), encode(Op::JumpIfTrueKeep, 1), encode(Op::Ret)}, 1))
          .find("jump needs a bool"),
      std::string::npos);
}

TEST(ExprVerifier, RejectsResultTypeMismatch) {
  EXPECT_NE(
      verify(predicate({encode(Op::PushStr, 0), encode(Op::Ret)}, 1)).find("result does not match"),
      std::string::npos);
  auto tmpl = predicate({encode(Op::PushStr, 0), encode(Op::Ret)}, 1);
  tmpl.kind = Kind::Template;
  EXPECT_NE(verify(tmpl).find("result does not match"), std::string::npos);
  auto append = predicate(
      {encode(Op::PushStr, 0), encode(Op::Append), encode(Op::HasCookiePrefix, 0), encode(Op::Ret)},
      1);
  EXPECT_NE(verify(append).find("APPEND in a predicate"), std::string::npos);
  tmpl.code = {encode(Op::PushStr, 0), encode(Op::Append, 3), encode(Op::Ret)};
  EXPECT_NE(verify(tmpl).find("unknown append mode"), std::string::npos);
  tmpl.code = {encode(Op::HasCookiePrefix, 0), encode(Op::Append), encode(Op::Ret)};
  EXPECT_NE(verify(tmpl).find("APPEND of a bool"), std::string::npos);
}

TEST(ExprVerifier, RejectsBadStructure) {
  EXPECT_NE(verify(predicate({}, 0)).find("empty program"), std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::HasCookiePrefix, 0)}, 1)).find("does not end with RET"),
            std::string::npos);
  EXPECT_NE(verify(predicate({encode(Op::HasCookiePrefix, 0), encode(Op::Ret), encode(Op::Ret)}, 1))
                .find("RET before the end"),
            std::string::npos);
  EXPECT_NE(verify(predicate(good_code(), 3)).find("max_stack is 3, computed 2"),
            std::string::npos);
  // Paths that join with different stack shapes: the jump keeps [bool], the fall-through
  // leaves [bool, bool].
  EXPECT_NE(verify(predicate({encode(Op::HasCookiePrefix, 0), encode(Op::JumpIfTrueKeep, 3),
                              encode(Op::HasCookiePrefix, 0), encode(Op::HasCookiePrefix, 0),
                              encode(Op::Eq), encode(Op::Ret)},
                             3))
                .find("stack shape differs"),
            std::string::npos);
}

TEST(ExprVerifier, RejectsBadSets) {
  auto p = predicate(good_code(), 2);
  p.sets[0].strings = {"y", "x"};
  EXPECT_NE(verify(p).find("not sorted"), std::string::npos);
  p.sets[0].strings = {"x", "x"};
  EXPECT_NE(verify(p).find("not sorted"), std::string::npos);
  p.sets[0] = ConstSetData{{"x"}, {1}};
  EXPECT_NE(verify(p).find("either strings or ints"), std::string::npos);
  p.sets[0] = ConstSetData{};
  EXPECT_NE(verify(p).find("either strings or ints"), std::string::npos);
}

TEST(ExprVerifier, FlatBuffersRoundTrip) {
  auto o = compiler::expr::test::compile(
      R"(method !in ["GET", "HEAD"] || arg.preview == "true" || server_port in [1, 2, 3, 4, 5, 6, 7, 8, 9])",
      compiler::expr::Site::CacheBypassWhen);
  ASSERT_TRUE(o.compiled);
  flatbuffers::FlatBufferBuilder fbb;
  fbb.ForceDefaults(true);
  const auto off = compiler::expr::write_expr_program(fbb, o.compiled->program);
  fbb.Finish(off);
  flatbuffers::Verifier fv(fbb.GetBufferPointer(), fbb.GetSize());
  ASSERT_TRUE(fv.VerifyBuffer<fxs::ExprProgram>(nullptr));
  const auto* stored = flatbuffers::GetRoot<fxs::ExprProgram>(fbb.GetBufferPointer());
  EXPECT_TRUE(verify_program(*stored).ok());
  EXPECT_EQ(stored->source()->str(), o.compiled->canonical_source);
  auto program = runtime::expr::Program::load(*stored);
  ASSERT_TRUE(program.ok()) << program.error().message;
  const runtime::expr::RequestInfo info{"https", "h", "POST", "/?preview=false", "::1", 443, {}};
  EXPECT_TRUE(
      runtime::expr::evaluate_predicate(*program, runtime::expr::StandardRequestVars(info)));
  const runtime::expr::RequestInfo get{"https", "h", "GET", "/", "::1", 443, {}};
  EXPECT_FALSE(
      runtime::expr::evaluate_predicate(*program, runtime::expr::StandardRequestVars(get)));
}

TEST(ExprVerifier, FlatBuffersProgramWithUnknownKindIsRejected) {
  flatbuffers::FlatBufferBuilder fbb;
  const auto code =
      fbb.CreateVector(std::vector<std::uint32_t>{encode(Op::HasCookiePrefix, 0), encode(Op::Ret)});
  const auto strings = fbb.CreateVectorOfStrings(std::vector<std::string>{"p"});
  fbb.Finish(fxs::CreateExprProgram(fbb, /*kind=*/7, 0, code, strings, 0, 0, 1));
  auto r = verify_program(*flatbuffers::GetRoot<fxs::ExprProgram>(fbb.GetBufferPointer()));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown kind 7"), std::string::npos);
}

TEST(RegexWriter, FlatBuffersRoundTrip) {
  auto re = regex::compile_regex("^/u/(?P<user>[a-z]+)$");
  ASSERT_TRUE(re.ok());
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(compiler::expr::write_regex_program(fbb, "^/u/(?P<user>[a-z]+)$", *re.regex));
  const auto* stored = flatbuffers::GetRoot<fxs::RegexProgram>(fbb.GetBufferPointer());
  ASSERT_EQ(stored->group_names()->size(), 1u);
  const std::span<const std::uint32_t> code(stored->code()->data(), stored->code()->size());
  auto m = regex::Matcher::load(code, stored->group_names()->size());
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->match("/u/bob"));
}

}  // namespace
}  // namespace flux::snapshot::expr
