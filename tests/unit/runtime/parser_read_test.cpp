// parser_read_header / parser_read_some over a real socket pair: heads split across reads,
// EOF before and inside a message, the buffer limit, and a body read in pieces.
#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/http/parser_read.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/http/head_parser.hpp"

namespace flux::runtime::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using Socket = asio::local::stream_protocol::socket;

struct Result {
  boost::beast::error_code ec;
  bool done = false;
};

// Runs `read` against a socket whose peer writes `pieces` (one write each) and then closes.
void serve_pieces(const std::vector<std::string>& pieces,
              std::function<asio::awaitable<void>(Socket&)> read) {
  asio::io_context io;
  Socket ours(io), peer(io);
  asio::local::connect_pair(ours, peer);
  asio::co_spawn(io, read(ours), asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (const auto& p : pieces) {
          co_await asio::async_write(peer, asio::buffer(p), asio::use_awaitable);
          asio::steady_timer pause(io, std::chrono::milliseconds(5));
          co_await pause.async_wait(asio::use_awaitable);
        }
        peer.close();
      },
      asio::detached);
  io.run();
}

TEST(ParserRead, HeadSplitAcrossReadsLeavesTheBodyInTheBuffer) {
  HeadArena arena;
  RequestParser parser(arena);
  boost::beast::flat_buffer buffer;
  Result r;
  serve_pieces({"GET /a?b HTTP/1.1\r\nHo", "st: x\r\nContent-Length: 3\r\n\r\nab"},
           [&](Socket& s) -> asio::awaitable<void> {
             auto [ec, n] = co_await parser_read_header(s, buffer, parser);
             r = {ec, true};
             EXPECT_GT(n, 0u);
           });
  ASSERT_TRUE(r.done);
  EXPECT_FALSE(r.ec) << r.ec.message();
  EXPECT_TRUE(parser.is_header_done());
  EXPECT_EQ(parser.method(), "GET");
  EXPECT_EQ(parser.target(), "/a?b");
  EXPECT_EQ(std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()),
            "ab");
}

TEST(ParserRead, EofBeforeAnyByteIsEndOfStream) {
  HeadArena arena;
  RequestParser parser(arena);
  boost::beast::flat_buffer buffer;
  Result r;
  serve_pieces({}, [&](Socket& s) -> asio::awaitable<void> {
    auto [ec, n] = co_await parser_read_header(s, buffer, parser);
    r = {ec, true};
  });
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.ec, bhttp::error::end_of_stream);
}

TEST(ParserRead, EofInsideTheHeadIsPartialMessage) {
  HeadArena arena;
  ResponseParser parser(arena);
  boost::beast::flat_buffer buffer;
  Result r;
  serve_pieces({"HTTP/1.1 200 OK\r\nContent-Le"}, [&](Socket& s) -> asio::awaitable<void> {
    auto [ec, n] = co_await parser_read_header(s, buffer, parser);
    r = {ec, true};
  });
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.ec, bhttp::error::partial_message);
}

TEST(ParserRead, HeadLargerThanTheBufferIsBufferOverflow) {
  HeadArena arena;
  RequestParser parser(arena);
  boost::beast::flat_buffer buffer(64);
  Result r;
  serve_pieces({"GET / HTTP/1.1\r\nX-Long: " + std::string(200, 'a') + "\r\n\r\n"},
           [&](Socket& s) -> asio::awaitable<void> {
             auto [ec, n] = co_await parser_read_header(s, buffer, parser);
             r = {ec, true};
           });
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.ec, bhttp::error::buffer_overflow);
}

// Reads a whole response (head, then the body with parser_read_some) into `body`: `got` body
// bytes, and `r.ec` set when a read failed.
struct BodyResult {
  Result r;
  std::size_t got = 0;
};

BodyResult read_response(const std::vector<std::string>& pieces, ResponseParser& parser,
                         std::string& body) {
  boost::beast::flat_buffer buffer;
  BodyResult out;
  serve_pieces(pieces, [&](Socket& s) -> asio::awaitable<void> {
    auto [hec, hn] = co_await parser_read_header(s, buffer, parser);
    EXPECT_FALSE(hec);
    while (!parser.is_done()) {
      parser.set_body_buffer(body.data() + out.got, body.size() - out.got);
      auto [ec, n] = co_await parser_read_some(s, buffer, parser);
      out.got += parser.body_written();
      if (ec && ec != bhttp::error::need_buffer) {
        out.r = {ec, true};
        co_return;
      }
    }
    out.r = {{}, true};
  });
  return out;
}

TEST(ParserRead, BodyArrivesThroughReadSomeInPieces) {
  HeadArena arena;
  ResponseParser parser(arena);
  std::string body(10, '\0');
  const BodyResult out =
      read_response({"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234", "56789"}, parser, body);
  ASSERT_TRUE(out.r.done);
  EXPECT_FALSE(out.r.ec) << out.r.ec.message();
  EXPECT_EQ(parser.status(), 200u);
  EXPECT_EQ(body, "0123456789");
}

TEST(ParserRead, BodyDelimitedByEofCompletesAtEof) {
  HeadArena arena;
  ResponseParser parser(arena);
  std::string body(16, '\0');
  const BodyResult out = read_response({"HTTP/1.1 200 OK\r\n\r\nuntil-eof"}, parser, body);
  ASSERT_TRUE(out.r.done);
  EXPECT_FALSE(out.r.ec) << out.r.ec.message();
  EXPECT_EQ(body.substr(0, out.got), "until-eof");
}

}  // namespace
}  // namespace flux::runtime::http
