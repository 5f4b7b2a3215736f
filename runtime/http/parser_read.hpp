#pragma once
// Coroutine versions of beast::http::async_read_some / async_read_header for a basic_parser fed
// from a flat_buffer. They keep Beast's semantics (same parse loop, read sizes and error codes:
// end_of_stream before any byte, put_eof on a cut message, buffer_overflow at the buffer's
// limit) but skip its composed-operation machinery: per read Beast wraps the socket operation
// in two composed ops with their own work guards and handler allocations and, when the buffer
// already holds what the parser needs, posts the completion through the scheduler. On the proxy
// path that was a measurable share of the per-request user time. Only Beast translation units
// include this header.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include <cstddef>
#include <tuple>

namespace flux::runtime::http {

namespace detail {

// The result of a socket read that hit EOF: end_of_stream before any byte of the message,
// otherwise put_eof's verdict (complete for a body delimited by EOF, partial_message if cut).
template <bool isRequest>
boost::beast::error_code at_eof(boost::beast::http::basic_parser<isRequest>& parser) {
  if (!parser.got_some()) return boost::beast::http::error::end_of_stream;
  boost::beast::error_code ec;
  parser.put_eof(ec);
  return ec;
}

}  // namespace detail

// Parses what `buffer` holds; reads from `stream` only while the parser needs more (or, with
// `until_header`, until the head is complete). Returns the bytes the parser consumed. Mirrors
// beast::http::detail::read_some_op and, with `until_header`, async_read_header's loop of it;
// the socket reads happen in this frame, so a message costs no nested coroutine.
template <typename Stream, bool isRequest>
boost::asio::awaitable<std::tuple<boost::beast::error_code, std::size_t>> parser_read(
    Stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::basic_parser<isRequest>& parser, bool until_header) {
  namespace bhttp = boost::beast::http;
  boost::beast::error_code ec;
  std::size_t used_total = 0;
  if (until_header && parser.is_header_done()) co_return std::tuple{ec, used_total};
  for (;;) {
    if (buffer.size() != 0) {
      const std::size_t used = parser.put(buffer.data(), ec);
      used_total += used;
      buffer.consume(used);
      if (ec && ec != bhttp::error::need_more) co_return std::tuple{ec, used_total};
      if (!ec) {
        if (!until_header || parser.is_header_done()) co_return std::tuple{ec, used_total};
        if (buffer.size() != 0) continue;
      }
    }
    const std::size_t size = boost::beast::read_size(buffer, 65536);
    if (size == 0) {
      co_return std::tuple{boost::beast::error_code(bhttp::error::buffer_overflow), used_total};
    }
    auto [rec, n] = co_await stream.async_read_some(
        buffer.prepare(size), boost::asio::as_tuple(boost::asio::use_awaitable));
    buffer.commit(n);
    if (rec == boost::asio::error::eof) co_return std::tuple{detail::at_eof(parser), used_total};
    if (rec) co_return std::tuple{rec, used_total};
  }
}

template <typename Stream, bool isRequest>
boost::asio::awaitable<std::tuple<boost::beast::error_code, std::size_t>> parser_read_some(
    Stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::basic_parser<isRequest>& parser) {
  return parser_read(stream, buffer, parser, false);
}

template <typename Stream, bool isRequest>
boost::asio::awaitable<std::tuple<boost::beast::error_code, std::size_t>> parser_read_header(
    Stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::basic_parser<isRequest>& parser) {
  return parser_read(stream, buffer, parser, true);
}

}  // namespace flux::runtime::http
