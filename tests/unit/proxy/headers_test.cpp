#include "runtime/proxy/headers.hpp"

#include <gtest/gtest.h>

namespace flux::runtime::proxy {
namespace {

TEST(ProxyHeaders, RequestHeadDropsHopByHopAndConnectionNamedFields) {
  const core::HeaderList in = {{"Host", "client.test"},    {"Connection", "keep-alive, X-Private"},
                               {"X-Private", "1"},         {"Keep-Alive", "timeout=5"},
                               {"TE", "trailers"},         {"Proxy-Authorization", "Basic x"},
                               {"Upgrade", "websocket"},   {"Content-Length", "3"},
                               {"Expect", "100-continue"}, {"Accept", "*/*"}};
  RequestHead head{"POST", "/a?b", "client.test", 3, false, false};
  EXPECT_EQ(build_request_head(in, head),
            "POST /a?b HTTP/1.1\r\nHost: client.test\r\nAccept: */*\r\nContent-Length: 3\r\n\r\n");
}

TEST(ProxyHeaders, ChunkedBodyAndWebsocketHandshake) {
  RequestHead head{"GET", "/ws", "h", std::nullopt, true, true};
  EXPECT_EQ(build_request_head({{"Upgrade", "websocket"}}, head),
            "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            "Transfer-Encoding: chunked\r\n\r\n");
}

TEST(ProxyHeaders, ResponseDropsHopByHopFramingDateAndServer) {
  const std::vector<http::Header> in = {
      {"Connection", "X-A"},           {"X-A", "1"},          {"Transfer-Encoding", "chunked"},
      {"Content-Length", "9"},         {"Date", "x"},         {"Server", "up"},
      {"Proxy-Authenticate", "Basic"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
  const auto out = response_headers(in, false);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], (std::pair<std::string, std::string>{"Set-Cookie", "a=1"}));
  EXPECT_EQ(out[1], (std::pair<std::string, std::string>{"Set-Cookie", "b=2"}));
}

TEST(ProxyHeaders, SwitchingProtocolsKeepsUpgrade) {
  const std::vector<http::Header> in = {
      {"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", "k"}};
  const auto out = response_headers(in, true);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].first, "Upgrade");
  EXPECT_EQ(out[1].first, "Sec-WebSocket-Accept");
  EXPECT_EQ(out[2], (std::pair<std::string, std::string>{"Connection", "upgrade"}));
}

TEST(ProxyHeaders, WebsocketHandshakeNeedsGetHttp11UpgradeAndConnection) {
  http::Request req;
  req.method = "GET";
  req.headers = {{"Upgrade", "WebSocket"}, {"Connection", "keep-alive, Upgrade"}};
  EXPECT_TRUE(is_websocket_handshake(req));
  req.version = 10;
  EXPECT_FALSE(is_websocket_handshake(req));
  req.version = 11;
  req.headers = {{"Upgrade", "websocket"}};
  EXPECT_FALSE(is_websocket_handshake(req));
  req.headers = {{"Upgrade", "h2c"}, {"Connection", "Upgrade"}};
  EXPECT_FALSE(is_websocket_handshake(req));
}

}  // namespace
}  // namespace flux::runtime::proxy
