// php-behaviour.md §9.1: strict parse of php-fpm STDOUT, including malformed input.

#include "runtime/php/response_parser.hpp"

#include <gtest/gtest.h>

namespace flux::runtime::php {
namespace {

constexpr std::size_t kCap = 65536;

ResponseError error_of(std::string_view out, std::size_t cap = kCap) {
  return parse_response(out, cap).error;
}

TEST(PhpResponseParser, ParsesStatusHeadersAndBody) {
  const ResponseParse r = parse_response(
      "Status: 404 Not Found\r\nContent-Type: text/html\r\nX-A:  1 \r\n\r\nbody\r\n\r\nmore", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.status, 404);
  ASSERT_EQ(r.response.headers.size(), 2u);
  EXPECT_EQ(r.response.headers[0].name, "Content-Type");
  EXPECT_EQ(r.response.headers[0].value, "text/html");
  EXPECT_EQ(r.response.headers[1].value, "1");
  EXPECT_EQ(r.response.body, "body\r\n\r\nmore");
}

TEST(PhpResponseParser, DefaultStatusIs200) {
  const ResponseParse r = parse_response("Content-Type: text/plain\r\n\r\n", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.body, "");
}

TEST(PhpResponseParser, FallsBackToBareNewlineTerminator) {
  const ResponseParse r = parse_response("A: 1\nB: 2\n\nbody", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.headers.size(), 2u);
  EXPECT_EQ(r.response.body, "body");
}

TEST(PhpResponseParser, CrlfTerminatorTakesPrecedenceOverEarlierBareNewlines) {
  const ResponseParse r = parse_response("A: 1\r\n\r\nx\n\ny", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.body, "x\n\ny");
}

TEST(PhpResponseParser, EmptyHeaderBlockIsAllowed) {
  const ResponseParse r = parse_response("\r\n\r\nhello", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.response.headers.empty());
  EXPECT_EQ(r.response.body, "hello");
}

TEST(PhpResponseParser, RejectsMissingTerminator) {
  EXPECT_EQ(error_of("Content-Type: text/html\r\n"), ResponseError::kMissingTerminator);
  EXPECT_EQ(error_of(""), ResponseError::kMissingTerminator);
  EXPECT_EQ(error_of("<html>no headers at all"), ResponseError::kMissingTerminator);
}

TEST(PhpResponseParser, RejectsHeaderBlockOverCap) {
  const std::string out = "X: " + std::string(100, 'a') + "\r\n\r\n";  // block = 103 bytes
  EXPECT_EQ(error_of(out, 102), ResponseError::kHeadersTooLarge);
  EXPECT_EQ(error_of(out, 103), ResponseError::kNone);
}

TEST(PhpResponseParser, RejectsLineWithoutColon) {
  EXPECT_EQ(error_of("Content-Type text/html\r\n\r\n"), ResponseError::kMalformedHeader);
}

TEST(PhpResponseParser, RejectsNameThatIsNotAToken) {
  EXPECT_EQ(error_of(": value\r\n\r\n"), ResponseError::kMalformedHeader);
  EXPECT_EQ(error_of("Bad Name: v\r\n\r\n"), ResponseError::kMalformedHeader);
  EXPECT_EQ(error_of("X(y): v\r\n\r\n"), ResponseError::kMalformedHeader);
  EXPECT_EQ(error_of("N\xC3\xA4me: v\r\n\r\n"), ResponseError::kMalformedHeader);
}

TEST(PhpResponseParser, RejectsUnsafeValueBytes) {
  EXPECT_EQ(error_of("X: a\rb\r\n\r\n"), ResponseError::kUnsafeBytes);         // bare CR
  EXPECT_EQ(error_of("X: caf\xC3\xA9\r\n\r\n"), ResponseError::kUnsafeBytes);  // obs-text
  EXPECT_EQ(error_of(std::string("X: a\0b\r\n\r\n", 10)), ResponseError::kUnsafeBytes);
  EXPECT_EQ(error_of("X: a\x7f\r\n\r\n"), ResponseError::kUnsafeBytes);
  EXPECT_EQ(error_of("X: a\x01\r\n\r\n"), ResponseError::kUnsafeBytes);
}

TEST(PhpResponseParser, HeaderInjectionViaBareNewlineBecomesItsOwnLine) {
  // "\n" splits lines (§9.1 step 3); the second line must itself be a valid header.
  EXPECT_EQ(error_of("X: a\n<script>\r\n\r\n"), ResponseError::kMalformedHeader);
  const ResponseParse r = parse_response("X: a\nSet-Cookie: b=1\r\n\r\n", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.headers.size(), 2u);
}

TEST(PhpResponseParser, TabsAndSpacesAroundNameAndValueAreTrimmed) {
  const ResponseParse r = parse_response(" X-A \t:\t v w \t\r\n\r\n", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.headers[0].name, "X-A");
  EXPECT_EQ(r.response.headers[0].value, "v w");
}

TEST(PhpResponseParser, StatusIsCaseInsensitiveAndLastOneWins) {
  const ResponseParse r = parse_response("status: 500\r\nSTATUS: 201 Created\r\n\r\n", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.status, 201);
  EXPECT_TRUE(r.response.headers.empty());  // Status is consumed
}

TEST(PhpResponseParser, RejectsStatusOutsideRange) {
  for (const char* s : {"Status: 600\r\n\r\n", "Status: 99\r\n\r\n", "Status: 1000\r\n\r\n",
                        "Status: abc\r\n\r\n", "Status: 20x\r\n\r\n", "Status: 099\r\n\r\n",
                        "Status: +20\r\n\r\n", "Status: 200OK\r\n\r\n"}) {
    EXPECT_EQ(error_of(s), ResponseError::kStatusOutOfRange) << s;
  }
}

TEST(PhpResponseParser, RejectsEmptyStatus) {
  EXPECT_EQ(error_of("Status:\r\n\r\n"), ResponseError::kEmptyStatus);
  EXPECT_EQ(error_of("Status:   \r\n\r\n"), ResponseError::kEmptyStatus);
}

TEST(PhpResponseParser, LocationWithoutStatusIs302) {
  const ResponseParse r = parse_response("Location: /next\r\n\r\n", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.status, 302);
  EXPECT_EQ(r.response.headers[0].name, "Location");
  EXPECT_EQ(parse_response("Location: /n\r\nStatus: 301\r\n\r\n", kCap).response.status, 301);
  EXPECT_EQ(parse_response("Status: 200\r\nLocation: /n\r\n\r\n", kCap).response.status, 200);
}

TEST(PhpResponseParser, RejectsInformationalStatusesExcept103) {
  EXPECT_EQ(error_of("Status: 100\r\n\r\n"), ResponseError::kInformationalStatus);
  EXPECT_EQ(error_of("Status: 101 Switching Protocols\r\n\r\n"),
            ResponseError::kInformationalStatus);
  EXPECT_EQ(error_of("Status: 199\r\n\r\n"), ResponseError::kInformationalStatus);
}

TEST(PhpResponseParser, EarlyHints103IsDropped) {
  ResponseParse r = parse_response("Status: 103\r\nLink: </a.css>\r\n\r\n", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.status, 200);
  r = parse_response("Status: 404\r\nStatus: 103 Early Hints\r\n\r\n", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.status, 404);
}

TEST(PhpResponseParser, SetCookieLinesAreNeverFolded) {
  const ResponseParse r =
      parse_response("Set-Cookie: a=1; Path=/\r\nX: 1\r\nSet-Cookie: b=2\r\nX: 2\r\n\r\n", kCap);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.response.headers.size(), 4u);
  EXPECT_EQ(r.response.headers[0].value, "a=1; Path=/");
  EXPECT_EQ(r.response.headers[2].name, "Set-Cookie");
  EXPECT_EQ(r.response.headers[2].value, "b=2");
  EXPECT_EQ(r.response.headers[3].value, "2");  // duplicates kept in order
}

TEST(PhpResponseParser, EmptyLinesInsideTheBlockAreSkipped) {
  const ResponseParse r = parse_response("A: 1\n\r\nB: 2\r\n\r\n", kCap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.response.headers.size(), 2u);
}

TEST(PhpResponseParser, ErrorTextsMatchSpec) {
  EXPECT_EQ(to_string(ResponseError::kMissingTerminator),
            "php-fpm response is missing header terminator");
  EXPECT_EQ(to_string(ResponseError::kHeadersTooLarge),
            "php-fpm response headers exceed max_response_header_bytes");
  EXPECT_EQ(to_string(ResponseError::kEmptyStatus), "empty PHP Status header");
}

}  // namespace
}  // namespace flux::runtime::php
