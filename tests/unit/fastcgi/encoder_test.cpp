// Byte-exact FastCGI 1.0 encoder tests against hand-computed fixtures (style.md "Codec apart
// from I/O"). Every expected byte string below was written out by hand from FastCGI 1.0 §3.3,
// §3.4, §5.1; none is produced by the code under test.

#include "runtime/fastcgi/codec/encoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flux::runtime::fastcgi {
namespace {

std::string bytes(std::initializer_list<int> v) {
  std::string s;
  for (int b : v) s.push_back(static_cast<char>(b));
  return s;
}

TEST(FastcgiEncoder, BeginRequestIsResponderWithoutKeepConn) {
  std::string out;
  append_begin_request(out, false);
  EXPECT_EQ(out, bytes({1, 1, 0, 1, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
}

TEST(FastcgiEncoder, BeginRequestSetsKeepConnFlagWhenAsked) {
  std::string out;
  append_begin_request(out, true);
  EXPECT_EQ(out, bytes({1, 1, 0, 1, 0, 8, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0}));
}

TEST(FastcgiEncoder, ShortPairUsesOneByteLengthsAndPadsToEight) {
  std::string out;
  const std::vector<NameValue> params{{"A", "bc"}};
  ASSERT_EQ(append_params(out, params, kMaxContentLength), EncodeError::kNone);
  // content = 01 02 'A' 'b' 'c' (5 bytes) + 3 padding, then the empty PARAMS record.
  EXPECT_EQ(out, bytes({1, 4, 0, 1, 0, 5, 3, 0}) + bytes({1, 2}) + "Abc" + bytes({0, 0, 0}) +
                     bytes({1, 4, 0, 1, 0, 0, 0, 0}));
}

TEST(FastcgiEncoder, LengthsOf128AndMoreUseFourBytesWithHighBit) {
  const std::string name(128, 'N');
  const std::string value(300, 'v');
  std::string out;
  const std::vector<NameValue> params{{name, value}};
  ASSERT_EQ(append_params(out, params, kMaxContentLength), EncodeError::kNone);
  // 4 + 4 + 128 + 300 = 436 = 0x01B4 content bytes, padding 4 (436 + 4 = 440).
  const std::string expected = bytes({1, 4, 0, 1, 0x01, 0xB4, 4, 0}) +
                               bytes({0x80, 0, 0, 0x80, 0x80, 0, 0x01, 0x2C}) + name + value +
                               bytes({0, 0, 0, 0}) + bytes({1, 4, 0, 1, 0, 0, 0, 0});
  EXPECT_EQ(out, expected);
  EXPECT_EQ(encoded_pair_size(name, value), 436u);
}

TEST(FastcgiEncoder, LengthOf127StaysOneByte) {
  EXPECT_EQ(encoded_pair_size(std::string(127, 'a'), ""), 1u + 1u + 127u);
  EXPECT_EQ(encoded_pair_size(std::string(128, 'a'), ""), 4u + 1u + 128u);
}

TEST(FastcgiEncoder, SplitsParamsAtMaxRecordSizeKeepingPairsWhole) {
  std::string out;
  // Each pair is 2 + 2 + 2 = 6 bytes; with 10 content bytes per record only one fits.
  const std::vector<NameValue> params{{"AB", "cd"}, {"EF", "gh"}, {"I", ""}};
  ASSERT_EQ(append_params(out, params, 10), EncodeError::kNone);
  const std::string expected =
      bytes({1, 4, 0, 1, 0, 6, 2, 0}) + bytes({2, 2}) + "ABcd" + bytes({0, 0}) +
      // the third pair (01 00 'I', 3 bytes) shares the second record: 6 + 3 = 9 <= 10.
      bytes({1, 4, 0, 1, 0, 9, 7, 0}) + bytes({2, 2}) + "EFgh" + bytes({1, 0}) + "I" +
      bytes({0, 0, 0, 0, 0, 0, 0}) + bytes({1, 4, 0, 1, 0, 0, 0, 0});
  EXPECT_EQ(out, expected);
}

TEST(FastcgiEncoder, RejectsPairLargerThanOneRecordAndWritesNothing) {
  std::string out = "prefix";
  const std::vector<NameValue> params{{"AB", "cd"}, {"NAME", "too-long-value"}};
  EXPECT_EQ(append_params(out, params, 10), EncodeError::kPairTooLarge);
  EXPECT_EQ(out, "prefix");
}

TEST(FastcgiEncoder, EmptyParamListIsOnlyTheTerminator) {
  std::string out;
  ASSERT_EQ(append_params(out, {}, kMaxContentLength), EncodeError::kNone);
  EXPECT_EQ(out, bytes({1, 4, 0, 1, 0, 0, 0, 0}));
}

TEST(FastcgiEncoder, RejectsRecordSizeZeroAndAbove65535) {
  std::string out;
  EXPECT_EQ(append_params(out, {}, 0), EncodeError::kInvalidRecordSize);
  EXPECT_EQ(append_params(out, {}, 65536), EncodeError::kInvalidRecordSize);
  EXPECT_EQ(append_stdin_data(out, "x", 0), EncodeError::kInvalidRecordSize);
  EXPECT_TRUE(out.empty());
}

TEST(FastcgiEncoder, SplitsStdinAtMaxRecordSize) {
  std::string out;
  ASSERT_EQ(append_stdin_data(out, "abcdefg", 3), EncodeError::kNone);
  append_end_of_stdin(out);
  const std::string expected = bytes({1, 5, 0, 1, 0, 3, 5, 0}) + "abc" + std::string(5, '\0') +
                               bytes({1, 5, 0, 1, 0, 3, 5, 0}) + "def" + std::string(5, '\0') +
                               bytes({1, 5, 0, 1, 0, 1, 7, 0}) + "g" + std::string(7, '\0') +
                               bytes({1, 5, 0, 1, 0, 0, 0, 0});
  EXPECT_EQ(out, expected);
}

TEST(FastcgiEncoder, EmptyBodySendsNoStdinDataRecord) {
  std::string out;
  ASSERT_EQ(append_stdin_data(out, "", 8), EncodeError::kNone);
  EXPECT_TRUE(out.empty());
}

TEST(FastcgiEncoder, PaddingKeepsRecordsWithinPhpFpmLimit) {
  EXPECT_EQ(padding_for(0), 0);
  EXPECT_EQ(padding_for(1), 7);
  EXPECT_EQ(padding_for(8), 0);
  EXPECT_EQ(padding_for(65527), 1);  // 65528 total
  EXPECT_EQ(padding_for(65528), 0);
  EXPECT_EQ(padding_for(65529), 0);  // 7 bytes of padding would exceed 0xffff
  EXPECT_EQ(padding_for(65535), 0);
}

TEST(FastcgiEncoder, MaxSizeStdinRecordHasNoPadding) {
  std::string out;
  const std::string body(65536, 'x');
  ASSERT_EQ(append_stdin_data(out, body, kMaxContentLength), EncodeError::kNone);
  ASSERT_EQ(out.size(), 8u + 65535u + 8u + 1u + 7u);
  EXPECT_EQ(out.substr(0, 8), bytes({1, 5, 0, 1, 0xFF, 0xFF, 0, 0}));
  EXPECT_EQ(out.substr(8 + 65535, 8), bytes({1, 5, 0, 1, 0, 1, 7, 0}));
}

TEST(FastcgiEncoder, EncodeRequestWritesAllRecordsInOrder) {
  std::string out;
  const std::vector<NameValue> params{{"A", "b"}};
  ASSERT_EQ(encode_request(out, params, "xy", {.keep_conn = true, .max_record_content = 8}),
            EncodeError::kNone);
  const std::string expected = bytes({1, 1, 0, 1, 0, 8, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0}) +
                               bytes({1, 4, 0, 1, 0, 4, 4, 0}) + bytes({1, 1}) + "Ab" +
                               bytes({0, 0, 0, 0}) + bytes({1, 4, 0, 1, 0, 0, 0, 0}) +
                               bytes({1, 5, 0, 1, 0, 2, 6, 0}) + "xy" + std::string(6, '\0') +
                               bytes({1, 5, 0, 1, 0, 0, 0, 0});
  EXPECT_EQ(out, expected);
}

TEST(FastcgiEncoder, EncodeRequestLeavesOutputUntouchedOnError) {
  std::string out = "keep";
  const std::vector<NameValue> params{{"LONGNAME", "LONGVALUE"}};
  EXPECT_EQ(encode_request(out, params, "", {.max_record_content = 8}), EncodeError::kPairTooLarge);
  EXPECT_EQ(out, "keep");
}

}  // namespace
}  // namespace flux::runtime::fastcgi
