// FastCGI 1.0 streaming decoder tests. Records are written out by hand (FastCGI 1.0 §3.3,
// §5.5), and a valid stream is fed at every split point (style.md "Codec apart from I/O").

#include "runtime/fastcgi/codec/decoder.hpp"

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

// A record built byte by byte: version, type, request id, content length, padding.
std::string record(int type, const std::string& content, int padding, int request_id = 1,
                   int version = 1) {
  const auto len = static_cast<int>(content.size());
  return bytes({version, type, request_id >> 8, request_id & 0xff, len >> 8, len & 0xff, padding,
                0}) +
         content + std::string(static_cast<std::size_t>(padding), '\x5a');
}

std::string end_request(int protocol_status, int padding = 0) {
  return record(3, bytes({0x01, 0x02, 0x03, 0x04, protocol_status, 0, 0, 0}), padding);
}

struct Collected {
  std::string out;
  std::string err;
  bool ended = false;
  EndRequest end;
  DecodeError error = DecodeError::kNone;
  int events_after_end = 0;
};

// Feeds `chunks` in order and drains every event.
Collected decode(const std::vector<std::string>& chunks, std::uint64_t max = 1 << 20) {
  RecordDecoder d({.max_response_bytes = max});
  Collected c;
  for (const std::string& chunk : chunks) {
    std::string_view in = chunk;
    for (;;) {
      const DecodeEvent ev = d.next(in);
      if (ev.kind == EventKind::kNeedMore) break;
      if (c.ended) ++c.events_after_end;
      if (ev.kind == EventKind::kStdout) c.out.append(ev.data);
      if (ev.kind == EventKind::kStderr) c.err.append(ev.data);
      if (ev.kind == EventKind::kEndRequest) {
        c.ended = true;
        c.end = ev.end;
      }
      if (ev.kind == EventKind::kError) {
        c.error = ev.error;
        return c;
      }
    }
  }
  return c;
}

// STDOUT split over two padded records, STDERR, both streams closed, END_REQUEST with padding.
std::string valid_stream() {
  return record(6, "Status: 200\r\n", 3) + record(7, "warn", 4) + record(6, "\r\nhello", 1) +
         record(6, "", 0) + record(7, "", 0) + end_request(0, 8);
}

TEST(FastcgiDecoder, DecodesStdoutStderrAndEndRequest) {
  const Collected c = decode({valid_stream()});
  EXPECT_EQ(c.error, DecodeError::kNone);
  EXPECT_EQ(c.out, "Status: 200\r\n\r\nhello");
  EXPECT_EQ(c.err, "warn");
  ASSERT_TRUE(c.ended);
  EXPECT_EQ(c.end.app_status, 0x01020304u);
  EXPECT_TRUE(c.end.complete());
}

TEST(FastcgiDecoder, SameResultAtEverySplitPoint) {
  const std::string s = valid_stream();
  for (std::size_t i = 0; i <= s.size(); ++i) {
    const Collected c = decode({s.substr(0, i), s.substr(i)});
    ASSERT_EQ(c.error, DecodeError::kNone) << "split at " << i;
    EXPECT_EQ(c.out, "Status: 200\r\n\r\nhello") << "split at " << i;
    EXPECT_EQ(c.err, "warn") << "split at " << i;
    EXPECT_TRUE(c.ended) << "split at " << i;
    EXPECT_EQ(c.end.app_status, 0x01020304u) << "split at " << i;
    EXPECT_EQ(c.events_after_end, 0) << "split at " << i;
  }
}

TEST(FastcgiDecoder, SameResultAtEveryPairOfSplitPoints) {
  const std::string s = valid_stream();
  for (std::size_t i = 0; i <= s.size(); ++i) {
    for (std::size_t j = i; j <= s.size(); ++j) {
      const Collected c = decode({s.substr(0, i), s.substr(i, j - i), s.substr(j)});
      ASSERT_EQ(c.error, DecodeError::kNone) << i << "," << j;
      ASSERT_EQ(c.out, "Status: 200\r\n\r\nhello") << i << "," << j;
      ASSERT_EQ(c.err, "warn") << i << "," << j;
      ASSERT_TRUE(c.ended) << i << "," << j;
    }
  }
}

TEST(FastcgiDecoder, DecodesOneByteAtATime) {
  const std::string s = valid_stream();
  std::vector<std::string> chunks;
  for (char ch : s) chunks.emplace_back(1, ch);
  const Collected c = decode(chunks);
  EXPECT_EQ(c.out, "Status: 200\r\n\r\nhello");
  EXPECT_EQ(c.err, "warn");
  EXPECT_TRUE(c.ended);
}

TEST(FastcgiDecoder, EndRequestWaitsForItsPadding) {
  RecordDecoder d({});
  const std::string s = end_request(0, 8);
  std::string_view in = std::string_view(s).substr(0, s.size() - 1);
  EXPECT_EQ(d.next(in).kind, EventKind::kNeedMore);
  EXPECT_FALSE(d.finished());
  std::string_view rest = std::string_view(s).substr(s.size() - 1);
  EXPECT_EQ(d.next(rest).kind, EventKind::kEndRequest);
  EXPECT_TRUE(d.finished());
}

TEST(FastcgiDecoder, KeepsNonCompleteProtocolStatus) {
  const Collected c = decode({end_request(2)});  // FCGI_OVERLOADED
  ASSERT_TRUE(c.ended);
  EXPECT_FALSE(c.end.complete());
  EXPECT_EQ(c.end.protocol_status, static_cast<std::uint8_t>(ProtocolStatus::kOverloaded));
}

TEST(FastcgiDecoder, RejectsVersionOtherThanOne) {
  EXPECT_EQ(decode({record(6, "x", 7, 1, 2)}).error, DecodeError::kBadVersion);
  EXPECT_EQ(decode({record(6, "x", 7, 1, 0)}).error, DecodeError::kBadVersion);
}

TEST(FastcgiDecoder, RejectsUnknownRecordTypes) {
  EXPECT_EQ(decode({record(0, "", 0)}).error, DecodeError::kUnknownRecordType);
  EXPECT_EQ(decode({record(12, "", 0)}).error, DecodeError::kUnknownRecordType);
  EXPECT_EQ(decode({record(255, "", 0)}).error, DecodeError::kUnknownRecordType);
}

TEST(FastcgiDecoder, RejectsRequestIdOtherThanOne) {
  EXPECT_EQ(decode({record(6, "x", 7, 2)}).error, DecodeError::kBadRequestId);
  EXPECT_EQ(decode({record(6, "x", 7, 0x0101)}).error, DecodeError::kBadRequestId);
  // FCGI_UNKNOWN_TYPE is a management record (request id 0): never expected.
  EXPECT_EQ(decode({record(11, bytes({9, 0, 0, 0, 0, 0, 0, 0}), 0, 0)}).error,
            DecodeError::kBadRequestId);
}

TEST(FastcgiDecoder, RejectsRecordTypesAnApplicationDoesNotSend) {
  for (int type : {1, 2, 4, 5, 8, 9, 10, 11}) {
    EXPECT_EQ(decode({record(type, "", 0)}).error, DecodeError::kUnexpectedRecordType) << type;
  }
}

TEST(FastcgiDecoder, RejectsEndRequestWithWrongLength) {
  EXPECT_EQ(decode({record(3, bytes({0, 0, 0, 0, 0, 0, 0}), 1)}).error,
            DecodeError::kBadEndRequestLength);
  EXPECT_EQ(decode({record(3, std::string(9, '\0'), 7)}).error, DecodeError::kBadEndRequestLength);
}

TEST(FastcgiDecoder, StdoutAndStderrCountTogetherAgainstMaxResponseBytes) {
  const std::string s =
      record(6, std::string(10, 'o'), 6) + record(7, std::string(10, 'e'), 6) + end_request(0);
  EXPECT_EQ(decode({s}, 20).error, DecodeError::kNone);
  const Collected over = decode({s}, 19);
  EXPECT_EQ(over.error, DecodeError::kResponseTooLarge);
  EXPECT_EQ(over.out, std::string(10, 'o'));  // the first record was within the cap
  EXPECT_TRUE(over.err.empty());
}

TEST(FastcgiDecoder, CapIsCheckedOnTheAnnouncedLength) {
  RecordDecoder d({.max_response_bytes = 4});
  const std::string s = record(6, "12345", 3);
  std::string_view in = std::string_view(s).substr(0, 8);  // header only
  EXPECT_EQ(d.next(in).error, DecodeError::kResponseTooLarge);
}

TEST(FastcgiDecoder, RejectsDataAfterEndRequest) {
  const Collected c = decode({end_request(0) + "x"});
  EXPECT_TRUE(c.ended);
  EXPECT_EQ(c.error, DecodeError::kDataAfterEndRequest);
}

TEST(FastcgiDecoder, ErrorsAreSticky) {
  RecordDecoder d({});
  const std::string bad = record(6, "x", 7, 1, 9);
  std::string_view in = bad;
  EXPECT_EQ(d.next(in).error, DecodeError::kBadVersion);
  const std::string good = record(6, "x", 7);
  std::string_view in2 = good;
  const DecodeEvent again = d.next(in2);
  EXPECT_EQ(again.kind, EventKind::kError);
  EXPECT_EQ(again.error, DecodeError::kBadVersion);
}

TEST(FastcgiDecoder, EmptyInputNeedsMore) {
  RecordDecoder d({});
  std::string_view in;
  EXPECT_EQ(d.next(in).kind, EventKind::kNeedMore);
}

TEST(FastcgiDecoder, ErrorMessageForOversizeMatchesSpec) {
  EXPECT_EQ(to_string(DecodeError::kResponseTooLarge),
            "php-fpm response exceeds maximum buffered size");
}

}  // namespace
}  // namespace flux::runtime::fastcgi
