#pragma once
// Streaming FastCGI 1.0 response decoder (php-behaviour.md §8.1). Feed it byte chunks of any
// size as they arrive; it yields STDOUT/STDERR data as views into the chunk and END_REQUEST.
// Malformed input gives an error value, never an exception; the decoder owns no I/O.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/fastcgi/codec/protocol.hpp"

namespace flux::runtime::fastcgi {

enum class DecodeError : std::uint8_t {
  kNone,
  kBadVersion,            // version != 1
  kUnknownRecordType,     // type outside FastCGI 1.0 §8's list
  kBadRequestId,          // request id != 1 (management records included)
  kUnexpectedRecordType,  // a known type an application never sends to a responder client
  kBadEndRequestLength,   // END_REQUEST content length != 8 (§5.5)
  kResponseTooLarge,      // STDOUT + STDERR over max_response_bytes (§8.1)
  kDataAfterEndRequest,   // bytes after END_REQUEST: the connection cannot be reused (§8.2)
};

std::string_view to_string(DecodeError e);

struct DecoderLimits {
  // STDOUT and STDERR content bytes together (php-behaviour.md §8.1 max_response_bytes).
  std::uint64_t max_response_bytes = 64ull * 1024 * 1024;
};

enum class EventKind : std::uint8_t { kNeedMore, kStdout, kStderr, kEndRequest, kError };

struct DecodeEvent {
  EventKind kind = EventKind::kNeedMore;
  std::string_view data;                   // kStdout/kStderr: points into the caller's input chunk
  EndRequest end;                          // kEndRequest
  DecodeError error = DecodeError::kNone;  // kError
};

class RecordDecoder {
 public:
  explicit RecordDecoder(DecoderLimits limits) : limits_(limits) {}

  // Consumes bytes from the front of `input` and returns the next event. kNeedMore means the
  // input is used up. After kEndRequest the decoder is finished: more input is an error. An
  // error is sticky: every later call returns it again.
  DecodeEvent next(std::string_view& input);

  bool finished() const { return state_ == State::kFinished; }
  std::uint64_t response_bytes() const { return response_bytes_; }

 private:
  enum class State : std::uint8_t { kHeader, kContent, kEndBody, kPadding, kFinished, kFailed };

  DecodeEvent fail(DecodeError e);
  DecodeEvent on_header();
  DecodeEvent take_content(std::string_view& input);
  DecodeEvent take_end_body(std::string_view& input);
  void take_padding(std::string_view& input);
  void after_content();

  DecoderLimits limits_;
  State state_ = State::kHeader;
  DecodeError error_ = DecodeError::kNone;
  char buf_[kHeaderLength] = {};  // partial header or END_REQUEST body
  std::size_t buf_len_ = 0;
  RecordType type_ = RecordType::kStdout;
  std::size_t content_left_ = 0;
  std::size_t padding_left_ = 0;
  bool end_pending_ = false;  // END_REQUEST body read, its padding still to skip
  EndRequest end_;
  std::uint64_t response_bytes_ = 0;
};

}  // namespace flux::runtime::fastcgi
