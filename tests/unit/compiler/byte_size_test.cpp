#include <gtest/gtest.h>

#include "compiler/validate/convert.hpp"

namespace flux::compiler {
namespace {

std::optional<std::uint64_t> parse(std::string_view s, bool* alias = nullptr) {
  bool a = false;
  auto v = parse_byte_size(s, &a);
  if (alias != nullptr) *alias = a;
  return v;
}

TEST(ByteSize, UnitsAreBinaryAndCaseInsensitive) {
  EXPECT_EQ(parse("64KiB"), 65536u);
  EXPECT_EQ(parse("16 MiB"), 16u << 20);
  EXPECT_EQ(parse(" 1gib "), 1ull << 30);
  EXPECT_EQ(parse("512b"), 512u);
  EXPECT_EQ(parse("42"), 42u);
}

TEST(ByteSize, DecimalLookingUnitsAreFlaggedForWarningFX0902) {
  bool alias = false;
  EXPECT_EQ(parse("16MB", &alias), 16u << 20);
  EXPECT_TRUE(alias);
  EXPECT_EQ(parse("16K", &alias), 16u << 10);
  EXPECT_TRUE(alias);
  EXPECT_EQ(parse("16KiB", &alias), 16u << 10);
  EXPECT_FALSE(alias);
  EXPECT_EQ(parse("16", &alias), 16u);
  EXPECT_FALSE(alias);
}

TEST(ByteSize, RejectsDecimalsSignsUnknownUnitsAndOverflow) {
  EXPECT_EQ(parse("1.5MiB"), std::nullopt);
  EXPECT_EQ(parse("-1"), std::nullopt);
  EXPECT_EQ(parse("+1"), std::nullopt);
  EXPECT_EQ(parse("1T"), std::nullopt);
  EXPECT_EQ(parse("MiB"), std::nullopt);
  EXPECT_EQ(parse(""), std::nullopt);
  EXPECT_EQ(parse("18446744073709551615"), 18446744073709551615ull);
  EXPECT_EQ(parse("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parse("17179869184G"), std::nullopt);
}

}  // namespace
}  // namespace flux::compiler
