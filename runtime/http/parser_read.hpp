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

// Parses what `buffer` holds; reads from `stream` only while the parser needs more. Returns
// the bytes the parser consumed. Mirrors beast::http::detail::read_some_op.
template <typename Stream, bool isRequest>
boost::asio::awaitable<std::tuple<boost::beast::error_code, std::size_t>> parser_read_some(
    Stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::basic_parser<isRequest>& parser) {
  namespace bhttp = boost::beast::http;
  boost::beast::error_code ec;
  std::size_t used_total = 0;
  bool parse = buffer.size() != 0;
  for (;;) {
    if (parse) {
      const std::size_t used = parser.put(buffer.data(), ec);
      used_total += used;
      buffer.consume(used);
      if (ec != bhttp::error::need_more) co_return std::tuple{ec, used_total};
    }
    parse = true;
    const std::size_t size = boost::beast::read_size(buffer, 65536);
    if (size == 0) co_return std::tuple{boost::beast::error_code(bhttp::error::buffer_overflow),
                                        used_total};
    auto [rec, n] =
        co_await stream.async_read_some(buffer.prepare(size), boost::asio::as_tuple(
                                                                   boost::asio::use_awaitable));
    buffer.commit(n);
    if (rec == boost::asio::error::eof) {
      if (!parser.got_some()) {
        co_return std::tuple{boost::beast::error_code(bhttp::error::end_of_stream), used_total};
      }
      ec = {};
      parser.put_eof(ec);  // complete for a body delimited by EOF, partial_message otherwise
      co_return std::tuple{ec, used_total};
    }
    if (rec) co_return std::tuple{rec, used_total};
  }
}

// Reads until the parser has the whole head. Mirrors beast::http::async_read_header.
template <typename Stream, bool isRequest>
boost::asio::awaitable<std::tuple<boost::beast::error_code, std::size_t>> parser_read_header(
    Stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::basic_parser<isRequest>& parser) {
  std::size_t total = 0;
  while (!parser.is_header_done()) {
    auto [ec, n] = co_await parser_read_some(stream, buffer, parser);
    total += n;
    if (ec) co_return std::tuple{ec, total};
  }
  co_return std::tuple{boost::beast::error_code(), total};
}

}  // namespace flux::runtime::http
