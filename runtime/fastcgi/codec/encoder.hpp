#pragma once
// FastCGI 1.0 request encoder (php-behaviour.md §8.1): a pure function of (params, body,
// options) -> bytes, kept apart from I/O (style.md "Codec apart from I/O").

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "runtime/fastcgi/codec/protocol.hpp"

namespace flux::runtime::fastcgi {

struct NameValue {
  std::string name;
  std::string value;
};

enum class EncodeError {
  kNone,
  kInvalidRecordSize,  // max_record_content outside 1..65535
  kPairTooLarge,       // one encoded name-value pair does not fit in a single record
};

struct EncoderOptions {
  bool keep_conn = false;                              // FCGI_KEEP_CONN only with keepalive (§8.1)
  std::size_t max_record_content = kMaxContentLength;  // content bytes per record, 1..65535
};

// Bytes one pair takes in the PARAMS stream (FastCGI 1.0 §3.4): 1-byte lengths below 128,
// else 4-byte lengths with the high bit set, then the name and value bytes.
std::size_t encoded_pair_size(std::string_view name, std::string_view value);

// FCGI_BEGIN_REQUEST with role FCGI_RESPONDER (FastCGI 1.0 §5.1).
void append_begin_request(std::string& out, bool keep_conn);

// The whole PARAMS stream: records of at most `max_record_content` content bytes, each holding
// only whole pairs, then the empty PARAMS record that closes the stream (FastCGI 1.0 §3.5).
EncodeError append_params(std::string& out, std::span<const NameValue> params,
                          std::size_t max_record_content);

// STDIN data records for `data` (none when empty). The stream stays open, so a body read from a
// spool file can be appended in pieces; close it with append_end_of_stdin.
EncodeError append_stdin_data(std::string& out, std::string_view data,
                              std::size_t max_record_content);

// The empty STDIN record that marks the end of the body (FastCGI 1.0 §3.5, §5.3).
void append_end_of_stdin(std::string& out);

// BEGIN_REQUEST, PARAMS, STDIN and the terminators for a request whose body is in memory.
EncodeError encode_request(std::string& out, std::span<const NameValue> params,
                           std::string_view body, const EncoderOptions& options);

}  // namespace flux::runtime::fastcgi
