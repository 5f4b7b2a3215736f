#pragma once
// Layout of a compiled regex program (fxs::RegexProgram.code), shared by the compiler, the
// verifier and the Pike VM:
//
//   word 0      kMagic ("FXR1")
//   word 1      n: instruction count
//   word 2      c: class count
//   word 3      capture slots: 2 per named group (begin, end)
//   word 4      flags: kAnchoredStart when every match must start at offset 0
//   2n words    instructions: word a = opcode | operand << 8, word b = second operand or 0
//   8c words    classes: 256-bit byte sets, bit (b & 31) of word (b >> 5)
//
//   BYTE_RANGE lo,hi   consume one byte in [lo, hi]     a = op | lo << 8 | hi << 16
//   CLASS k            consume one byte in class k
//   SPLIT x, y         continue at x, and at y with lower priority (leftmost-first)
//   JMP x              continue at x
//   SAVE s             capture slot s = current offset
//   BEGIN_TEXT         assert offset == 0                 (`^`)
//   END_TEXT           assert offset == subject size      (`$`)
//   MATCH              success

#include <cstddef>
#include <cstdint>

namespace flux::snapshot::regex::prog {

inline constexpr std::uint32_t kMagic = 0x31525846;  // "FXR1" little-endian
inline constexpr std::size_t kHeaderWords = 5;
inline constexpr std::size_t kClassWords = 8;
inline constexpr std::uint32_t kAnchoredStart = 1;

enum class Op : std::uint8_t {
  ByteRange = 1,
  Class = 2,
  Split = 3,
  Jmp = 4,
  Save = 5,
  BeginText = 6,
  EndText = 7,
  Match = 8,
};
inline constexpr std::uint8_t kMaxOp = 8;

constexpr std::uint32_t word_a(Op op, std::uint32_t operand) {
  return static_cast<std::uint32_t>(op) | (operand << 8);
}
constexpr Op op_of(std::uint32_t a) { return static_cast<Op>(a & 0xFF); }
constexpr std::uint32_t operand_of(std::uint32_t a) { return a >> 8; }
constexpr std::uint32_t range_lo(std::uint32_t a) { return (a >> 8) & 0xFF; }
constexpr std::uint32_t range_hi(std::uint32_t a) { return (a >> 16) & 0xFF; }

}  // namespace flux::snapshot::regex::prog
