#include "runtime/fastcgi/codec/encoder.hpp"

#include <algorithm>

#include <cstdint>

namespace flux::runtime::fastcgi {
namespace {

constexpr std::size_t kShortLengthLimit = 128;  // FastCGI 1.0 §3.4: lengths < 128 take 1 byte

bool valid_record_size(std::size_t n) { return n >= 1 && n <= kMaxContentLength; }

std::size_t length_size(std::size_t n) { return n < kShortLengthLimit ? 1 : 4; }

void append_length(std::string& out, std::size_t n) {
  if (n < kShortLengthLimit) {
    out.push_back(static_cast<char>(n));
    return;
  }
  const auto v = static_cast<std::uint32_t>(n);
  out.push_back(static_cast<char>(((v >> 24) & 0x7f) | 0x80));
  out.push_back(static_cast<char>((v >> 16) & 0xff));
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

void append_record(std::string& out, RecordType type, std::string_view content) {
  const RecordHeader h = encode_record_header(type, static_cast<std::uint16_t>(content.size()));
  out.append(h.bytes.data(), h.bytes.size());
  out.append(content);
  out.append(kZeroPadding.data(), h.padding_length);
}

}  // namespace

std::size_t encoded_pair_size(std::string_view name, std::string_view value) {
  return length_size(name.size()) + length_size(value.size()) + name.size() + value.size();
}

void append_begin_request(std::string& out, bool keep_conn) {
  // FastCGI 1.0 §5.1 FCGI_BeginRequestBody: roleB1, roleB0, flags, reserved[5].
  const char body[8] = {static_cast<char>(kRoleResponder >> 8),
                        static_cast<char>(kRoleResponder & 0xff),
                        static_cast<char>(keep_conn ? kFlagKeepConn : 0),
                        0,
                        0,
                        0,
                        0,
                        0};
  append_record(out, RecordType::kBeginRequest, std::string_view(body, sizeof body));
}

EncodeError append_params(std::string& out, std::span<const NameValue> params,
                          std::size_t max_record_content) {
  if (!valid_record_size(max_record_content)) return EncodeError::kInvalidRecordSize;
  // php-fpm decodes every PARAMS record on its own (main/fastcgi.c fcgi_get_params), so a pair
  // never straddles two records even though FastCGI 1.0 §3.3 would allow it.
  const std::size_t mark = out.size();
  std::size_t total = 0;
  for (const NameValue& p : params) total += encoded_pair_size(p.name, p.value);
  // One allocation each: the pairs plus a record header and padding per record.
  out.reserve(out.size() + total + (total / max_record_content + 2) * (kHeaderLength + kAlignment));
  std::string content;
  content.reserve(std::min(total, max_record_content));
  for (const NameValue& p : params) {
    const std::size_t size = encoded_pair_size(p.name, p.value);
    if (size > max_record_content) {
      out.resize(mark);  // all or nothing: the caller never sees half a stream
      return EncodeError::kPairTooLarge;
    }
    if (content.size() + size > max_record_content) {
      append_record(out, RecordType::kParams, content);
      content.clear();
    }
    append_length(content, p.name.size());
    append_length(content, p.value.size());
    content.append(p.name);
    content.append(p.value);
  }
  if (!content.empty()) append_record(out, RecordType::kParams, content);
  append_record(out, RecordType::kParams, {});
  return EncodeError::kNone;
}

EncodeError append_stdin_data(std::string& out, std::string_view data,
                              std::size_t max_record_content) {
  if (!valid_record_size(max_record_content)) return EncodeError::kInvalidRecordSize;
  while (!data.empty()) {
    const std::string_view piece = data.substr(0, max_record_content);
    append_record(out, RecordType::kStdin, piece);
    data.remove_prefix(piece.size());
  }
  return EncodeError::kNone;
}

void append_end_of_stdin(std::string& out) { append_record(out, RecordType::kStdin, {}); }

EncodeError encode_request(std::string& out, std::span<const NameValue> params,
                           std::string_view body, const EncoderOptions& options) {
  if (!valid_record_size(options.max_record_content)) return EncodeError::kInvalidRecordSize;
  const std::size_t mark = out.size();
  append_begin_request(out, options.keep_conn);
  if (EncodeError e = append_params(out, params, options.max_record_content);
      e != EncodeError::kNone) {
    out.resize(mark);
    return e;
  }
  // Cannot fail: the record size was checked above.
  (void)append_stdin_data(out, body, options.max_record_content);
  append_end_of_stdin(out);
  return EncodeError::kNone;
}

}  // namespace flux::runtime::fastcgi
