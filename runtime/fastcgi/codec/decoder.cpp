#include "runtime/fastcgi/codec/decoder.hpp"

#include <algorithm>
#include <cstring>

namespace flux::runtime::fastcgi {
namespace {

constexpr std::size_t kEndRequestBodyLength = 8;  // FastCGI 1.0 §5.5 FCGI_EndRequestBody

std::uint8_t byte_at(const char* p, std::size_t i) { return static_cast<std::uint8_t>(p[i]); }

// Copies up to `want - have` bytes from the front of `input` into `buf`; true once full.
bool fill(char* buf, std::size_t& have, std::size_t want, std::string_view& input) {
  const std::size_t n = std::min(want - have, input.size());
  if (n == 0) return have == want;  // an empty view may have a null data() (memcpy UB)
  std::memcpy(buf + have, input.data(), n);
  have += n;
  input.remove_prefix(n);
  return have == want;
}

}  // namespace

std::string_view to_string(DecodeError e) {
  switch (e) {
    case DecodeError::kNone:
      return "no error";
    case DecodeError::kBadVersion:
      return "php-fpm record has an unsupported FastCGI version";
    case DecodeError::kUnknownRecordType:
      return "php-fpm record has an unknown type";
    case DecodeError::kBadRequestId:
      return "php-fpm record has an unexpected request id";
    case DecodeError::kUnexpectedRecordType:
      return "php-fpm record type is not a response record";
    case DecodeError::kBadEndRequestLength:
      return "php-fpm END_REQUEST record has a bad length";
    case DecodeError::kResponseTooLarge:
      return "php-fpm response exceeds maximum buffered size";
    case DecodeError::kDataAfterEndRequest:
      return "php-fpm sent data after END_REQUEST";
  }
  return "unknown decode error";
}

DecodeEvent RecordDecoder::fail(DecodeError e) {
  state_ = State::kFailed;
  error_ = e;
  return DecodeEvent{.kind = EventKind::kError, .error = e};
}

DecodeEvent RecordDecoder::next(std::string_view& input) {
  for (;;) {
    switch (state_) {
      case State::kFailed:
        return DecodeEvent{.kind = EventKind::kError, .error = error_};
      case State::kFinished:
        if (!input.empty()) return fail(DecodeError::kDataAfterEndRequest);
        return DecodeEvent{};
      case State::kHeader: {
        if (!fill(buf_, buf_len_, kHeaderLength, input)) return DecodeEvent{};
        buf_len_ = 0;
        if (DecodeEvent ev = on_header(); ev.kind == EventKind::kError) return ev;
        break;
      }
      case State::kContent:
        return take_content(input);
      case State::kEndBody:
        if (DecodeEvent ev = take_end_body(input); ev.kind != EventKind::kNeedMore) return ev;
        if (state_ == State::kEndBody) return DecodeEvent{};
        break;
      case State::kPadding:
        take_padding(input);
        if (padding_left_ > 0) return DecodeEvent{};
        if (end_pending_) {
          state_ = State::kFinished;
          return DecodeEvent{.kind = EventKind::kEndRequest, .end = end_};
        }
        state_ = State::kHeader;
        break;
    }
  }
}

DecodeEvent RecordDecoder::on_header() {
  // FastCGI 1.0 §3.3 FCGI_Header: version, type, requestId (B1 B0), contentLength (B1 B0),
  // paddingLength, reserved.
  if (byte_at(buf_, 0) != kVersion1) return fail(DecodeError::kBadVersion);
  const std::uint8_t type = byte_at(buf_, 1);
  if (type == 0 || type > kMaxKnownRecordType) return fail(DecodeError::kUnknownRecordType);
  const auto request_id = static_cast<std::uint16_t>(byte_at(buf_, 2) << 8 | byte_at(buf_, 3));
  if (request_id != kRequestId) return fail(DecodeError::kBadRequestId);
  type_ = static_cast<RecordType>(type);
  content_left_ = static_cast<std::size_t>(byte_at(buf_, 4) << 8 | byte_at(buf_, 5));
  padding_left_ = byte_at(buf_, 6);

  if (type_ == RecordType::kEndRequest) {
    if (content_left_ != kEndRequestBodyLength) return fail(DecodeError::kBadEndRequestLength);
    state_ = State::kEndBody;
    return DecodeEvent{};
  }
  if (type_ != RecordType::kStdout && type_ != RecordType::kStderr) {
    return fail(DecodeError::kUnexpectedRecordType);
  }
  // Checked on the announced length, so the outcome does not depend on how bytes are chunked.
  response_bytes_ += content_left_;
  if (response_bytes_ > limits_.max_response_bytes) return fail(DecodeError::kResponseTooLarge);
  if (content_left_ > 0) {
    state_ = State::kContent;
  } else {
    after_content();  // an empty STDOUT/STDERR record closes that stream (§3.5): no event
  }
  return DecodeEvent{};
}

DecodeEvent RecordDecoder::take_content(std::string_view& input) {
  if (input.empty()) return DecodeEvent{};
  const std::size_t n = std::min(content_left_, input.size());
  DecodeEvent ev{.kind = type_ == RecordType::kStdout ? EventKind::kStdout : EventKind::kStderr,
                 .data = input.substr(0, n)};
  input.remove_prefix(n);
  content_left_ -= n;
  if (content_left_ == 0) after_content();
  return ev;
}

DecodeEvent RecordDecoder::take_end_body(std::string_view& input) {
  if (!fill(buf_, buf_len_, kEndRequestBodyLength, input)) return DecodeEvent{};
  buf_len_ = 0;
  // FastCGI 1.0 §5.5: appStatus (B3..B0), protocolStatus, reserved[3].
  end_.app_status = static_cast<std::uint32_t>(byte_at(buf_, 0)) << 24 |
                    static_cast<std::uint32_t>(byte_at(buf_, 1)) << 16 |
                    static_cast<std::uint32_t>(byte_at(buf_, 2)) << 8 | byte_at(buf_, 3);
  end_.protocol_status = byte_at(buf_, 4);
  if (padding_left_ > 0) {
    end_pending_ = true;
    state_ = State::kPadding;
    return DecodeEvent{};
  }
  state_ = State::kFinished;
  return DecodeEvent{.kind = EventKind::kEndRequest, .end = end_};
}

void RecordDecoder::take_padding(std::string_view& input) {
  const std::size_t n = std::min(padding_left_, input.size());
  input.remove_prefix(n);
  padding_left_ -= n;
}

void RecordDecoder::after_content() {
  state_ = padding_left_ > 0 ? State::kPadding : State::kHeader;
}

}  // namespace flux::runtime::fastcgi
