#pragma once
// FastCGI 1.0 wire constants and the 8-byte record header (FastCGI 1.0 §3.3, §8).
// Only the FCGI_RESPONDER subset of php-behaviour.md §8.1 is used: one request per connection,
// request id 1, no multiplexing, no management records.

#include <array>
#include <cstddef>
#include <cstdint>

namespace flux::runtime::fastcgi {

inline constexpr std::uint8_t kVersion1 = 1;             // FastCGI 1.0 §8 FCGI_VERSION_1
inline constexpr std::size_t kHeaderLength = 8;          // FastCGI 1.0 §8 FCGI_HEADER_LEN
inline constexpr std::uint16_t kRequestId = 1;           // php-behaviour.md §8.1: always id 1
inline constexpr std::size_t kMaxContentLength = 65535;  // contentLength is 16 bits (§3.3)
inline constexpr std::size_t kAlignment = 8;             // §3.3 recommends 8-byte alignment

// FastCGI 1.0 §8 record types.
enum class RecordType : std::uint8_t {
  kBeginRequest = 1,
  kAbortRequest = 2,
  kEndRequest = 3,
  kParams = 4,
  kStdin = 5,
  kStdout = 6,
  kStderr = 7,
  kData = 8,
  kGetValues = 9,
  kGetValuesResult = 10,
  kUnknownType = 11,
};
inline constexpr std::uint8_t kMaxKnownRecordType = 11;

// FastCGI 1.0 §5.1 roles and flags; §5.5 protocolStatus values.
inline constexpr std::uint16_t kRoleResponder = 1;
inline constexpr std::uint8_t kFlagKeepConn = 1;

enum class ProtocolStatus : std::uint8_t {
  kRequestComplete = 0,
  kCantMpxConn = 1,
  kOverloaded = 2,
  kUnknownRole = 3,
};

// FastCGI 1.0 §5.5 FCGI_EndRequestBody, decoded.
struct EndRequest {
  std::uint32_t app_status = 0;
  std::uint8_t protocol_status = 0;  // raw byte: values above kUnknownRole are kept as sent

  bool complete() const {
    return protocol_status == static_cast<std::uint8_t>(ProtocolStatus::kRequestComplete);
  }
};

// One encoded record header plus the padding that must follow `content_length` content bytes.
struct RecordHeader {
  std::array<char, kHeaderLength> bytes{};
  std::uint8_t padding_length = 0;
};

// Padding that brings a record to a multiple of 8 bytes (FastCGI 1.0 §3.3). It is left out when
// it would make content + padding exceed 0xffff: php-fpm (main/fastcgi.c fcgi_read_request)
// rejects such PARAMS records, and the alignment is only a recommendation.
constexpr std::uint8_t padding_for(std::size_t content_length) {
  const std::size_t pad = (kAlignment - content_length % kAlignment) % kAlignment;
  return content_length + pad > kMaxContentLength ? 0 : static_cast<std::uint8_t>(pad);
}

// Header for a record of request id 1. `content_length` must be <= kMaxContentLength.
constexpr RecordHeader encode_record_header(RecordType type, std::uint16_t content_length) {
  RecordHeader h;
  h.padding_length = padding_for(content_length);
  h.bytes = {static_cast<char>(kVersion1),           static_cast<char>(type),
             static_cast<char>(kRequestId >> 8),     static_cast<char>(kRequestId & 0xff),
             static_cast<char>(content_length >> 8), static_cast<char>(content_length & 0xff),
             static_cast<char>(h.padding_length),    0};
  return h;
}

// Zero bytes to copy padding from (a padding length is at most 7).
inline constexpr std::array<char, kAlignment> kZeroPadding{};

}  // namespace flux::runtime::fastcgi
