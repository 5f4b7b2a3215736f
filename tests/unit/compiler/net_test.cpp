#include <gtest/gtest.h>

#include "compiler/validate/net.hpp"

namespace flux::compiler {
namespace {

TEST(SocketAddr, AcceptsIpv4AndBracketedIpv6Only) {
  EXPECT_TRUE(parse_socket_addr("127.0.0.1:8080"));
  EXPECT_TRUE(parse_socket_addr("[::1]:443"));
  EXPECT_FALSE(parse_socket_addr("::1:443"));
  EXPECT_FALSE(parse_socket_addr("[127.0.0.1]:80"));
  EXPECT_FALSE(parse_socket_addr("localhost:80"));
  EXPECT_FALSE(parse_socket_addr("127.0.0.1:0"));
  EXPECT_FALSE(parse_socket_addr("127.0.0.1:65536"));
  EXPECT_FALSE(parse_socket_addr("127.0.0.1"));
}

TEST(HostPort, AcceptsNamesAndLiteralsAndReportsTheLiteral) {
  std::optional<IpAddr> ip;
  EXPECT_TRUE(is_host_port("php.internal:9000", &ip));
  EXPECT_FALSE(ip.has_value());
  EXPECT_TRUE(is_host_port("10.1.2.3:9000", &ip));
  ASSERT_TRUE(ip.has_value());
  EXPECT_TRUE(is_private_or_link_local(*ip));
  EXPECT_TRUE(is_host_port("[fe80::1]:9000", &ip));
  EXPECT_TRUE(is_private_or_link_local(*ip));
  EXPECT_FALSE(is_host_port("php_internal:9000"));
  EXPECT_FALSE(is_host_port("php..internal:9000"));
  EXPECT_FALSE(is_host_port(":9000"));
}

TEST(IpPolicy, ClassifiesUnspecifiedMulticastAndPrivateRanges) {
  auto ip = [](const char* s) { return *parse_ip(s); };
  EXPECT_TRUE(is_unspecified_or_multicast(ip("0.0.0.0")));
  EXPECT_TRUE(is_unspecified_or_multicast(ip("255.255.255.255")));
  EXPECT_TRUE(is_unspecified_or_multicast(ip("224.0.0.1")));
  EXPECT_TRUE(is_unspecified_or_multicast(ip("::")));
  EXPECT_TRUE(is_unspecified_or_multicast(ip("ff02::1")));
  EXPECT_TRUE(is_private_or_link_local(ip("172.16.0.1")));
  EXPECT_FALSE(is_private_or_link_local(ip("172.32.0.1")));
  EXPECT_TRUE(is_private_or_link_local(ip("169.254.1.1")));
  EXPECT_TRUE(is_private_or_link_local(ip("fd12::1")));
  EXPECT_FALSE(is_private_or_link_local(ip("192.0.2.10")));
  EXPECT_TRUE(is_loopback(ip("127.0.0.2")));
  EXPECT_TRUE(is_loopback(ip("::1")));
}

TEST(Cidr, ChecksPrefixLengthPerFamily) {
  EXPECT_TRUE(is_ip_or_cidr("10.0.0.0/8"));
  EXPECT_TRUE(is_ip_or_cidr("2001:db8::/32"));
  EXPECT_TRUE(is_ip_or_cidr("192.0.2.1"));
  EXPECT_FALSE(is_ip_or_cidr("10.0.0.0/33"));
  EXPECT_FALSE(is_ip_or_cidr("2001:db8::/129"));
  EXPECT_FALSE(is_ip_or_cidr("10.0.0.0/"));
  EXPECT_FALSE(is_ip_or_cidr("proxy.example"));
}

}  // namespace
}  // namespace flux::compiler
