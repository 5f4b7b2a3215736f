#pragma once
// Bytecode encoding (expressions.md §6). One instruction per uint32 word: the opcode in the low
// 8 bits, one operand in the high 24 bits (fxs.fbs ExprProgram.code).
//
//   PUSH_STR k          push strings[k]                                  -> str
//   PUSH_INT k          push ints[k]                                     -> int
//   LOAD v              push simple variable v (Var)                     -> str | int (server_port)
//   LOAD_REF kind,k     push header/cookie/arg/route.regex named strings[k]; may be absent -> str
//                       operand = k | kind << 20 (k < 2^20, kind < 4)
//   EQ NE               str,str | int,int                                -> bool
//   PREFIX SUFFIX CONTAINS  str,str (left op right)                      -> bool
//   IN_SET k            str|int, sets[k] of the same element type        -> bool
//   EXISTS              str (present?)                                   -> bool
//   HAS_COOKIE_PREFIX k push: some cookie name starts with strings[k]    -> bool
//   NOT                 bool                                             -> bool
//   JUMP_IF_FALSE_KEEP off / JUMP_IF_TRUE_KEEP off
//                       top is bool; if it is false (true), jump to pc + off keeping it,
//                       else pop it and continue. off >= 1: jumps are forward only.
//   APPEND mode         templates: pop str|int, append it to the output escaped per AppendMode
//   RET                 last instruction, exactly once. Predicate: stack is [bool], the result.
//                       Template: stack is empty, the result is the appended output.
//
// Absent values (string?) only come from LOAD_REF; comparisons treat them per expressions.md §3.
// There is no PUSH_BOOL: fluxc encodes the bare predicates `true` / `false` as
// PUSH_INT 0; PUSH_INT 0; EQ / NE, which keeps the instruction set of §6 unchanged.

#include <cstdint>

namespace flux::snapshot::expr {

enum class Op : std::uint8_t {
  PushStr = 1,
  PushInt = 2,
  Load = 3,
  LoadRef = 4,
  Eq = 5,
  Ne = 6,
  Prefix = 7,
  Suffix = 8,
  Contains = 9,
  InSet = 10,
  Exists = 11,
  HasCookiePrefix = 12,
  Not = 13,
  JumpIfFalseKeep = 14,
  JumpIfTrueKeep = 15,
  Append = 16,
  Ret = 17,
};
inline constexpr std::uint8_t kMaxOp = 17;

// Simple variables of expressions.md §3, the operand of LOAD.
enum class Var : std::uint8_t {
  Scheme = 0,
  Host = 1,
  Method = 2,
  Uri = 3,
  Path = 4,
  Query = 5,
  RemoteAddr = 6,
  ServerPort = 7,  // the only int variable
};
inline constexpr std::uint8_t kMaxVar = 7;

// The kind half of LOAD_REF's operand.
enum class RefKind : std::uint8_t { Header = 0, Cookie = 1, Arg = 2, RouteRegex = 3 };
inline constexpr std::uint8_t kMaxRefKind = 3;

// APPEND's operand: how a substituted value is escaped (expressions.md §3, redirect targets).
enum class AppendMode : std::uint8_t {
  Raw = 0,            // literal text, uri/path/query, everything outside redirect targets
  PathSegment = 1,    // arg.* / route.regex.* in the path part of a redirect ("/" encoded too)
  QueryComponent = 2  // arg.* / route.regex.* in the query part of a redirect
};
inline constexpr std::uint8_t kMaxAppendMode = 2;

inline constexpr std::uint32_t kOperandBits = 24;
inline constexpr std::uint32_t kMaxOperand = (1u << kOperandBits) - 1;
inline constexpr std::uint32_t kRefNameBits = 20;
inline constexpr std::uint32_t kMaxStack = 32;  // §6 verifier bound

constexpr std::uint32_t encode(Op op, std::uint32_t operand = 0) {
  return static_cast<std::uint32_t>(op) | (operand << 8);
}
constexpr std::uint32_t encode_ref(RefKind kind, std::uint32_t name_k) {
  return encode(Op::LoadRef, name_k | (static_cast<std::uint32_t>(kind) << kRefNameBits));
}
constexpr std::uint8_t opcode_of(std::uint32_t word) { return static_cast<std::uint8_t>(word); }
constexpr std::uint32_t operand_of(std::uint32_t word) { return word >> 8; }
constexpr std::uint32_t ref_name_of(std::uint32_t operand) {
  return operand & ((1u << kRefNameBits) - 1);
}
constexpr std::uint32_t ref_kind_of(std::uint32_t operand) { return operand >> kRefNameBits; }

}  // namespace flux::snapshot::expr
