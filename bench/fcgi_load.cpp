// A raw FastCGI load generator: drives a php-fpm pool directly, with no HTTP in between, to
// measure the physical limit of the PHP path on this machine (bench/compare_php.sh reports the
// gateway's overhead against it). One thread per connection, blocking sockets, the project's
// own codec for the records.
//
// fcgi_load --socket PATH | --tcp HOST:PORT --script FILE [--connections N] [--seconds S]
//           [--keepalive]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "runtime/fastcgi/codec/decoder.hpp"
#include "runtime/fastcgi/codec/encoder.hpp"

namespace {

using namespace flux::runtime::fastcgi;

struct Options {
  std::string socket_path;
  std::string host;
  int port = 0;
  std::string script;
  int connections = 32;
  int seconds = 10;
  bool keepalive = false;
};

int connect_to(const Options& o) {
  if (!o.socket_path.empty()) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, o.socket_path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(o.port));
  ::inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

std::string encode(const Options& o) {
  const std::vector<NameValue> params = {
      {"GATEWAY_INTERFACE", "CGI/1.1"}, {"SERVER_SOFTWARE", "fcgi_load"},
      {"SERVER_PROTOCOL", "HTTP/1.1"},  {"REQUEST_METHOD", "GET"},
      {"SCRIPT_NAME", "/hello.php"},    {"SCRIPT_FILENAME", o.script},
      {"QUERY_STRING", ""},             {"REQUEST_URI", "/hello.php"},
      {"DOCUMENT_ROOT", "/"},           {"REMOTE_ADDR", "127.0.0.1"},
      {"SERVER_NAME", "localhost"},     {"SERVER_PORT", "80"},
      {"HTTP_HOST", "localhost"},       {"CONTENT_LENGTH", "0"},
      {"REDIRECT_STATUS", "200"}};
  std::string out;
  encode_request(out, params, "", EncoderOptions{o.keepalive, kMaxContentLength});
  return out;
}

// One exchange on `fd`; false on any failure.
bool exchange(int fd, const std::string& request, std::vector<char>& buf) {
  for (std::size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::write(fd, request.data() + sent, request.size() - sent);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  RecordDecoder decoder({64ull << 20});
  while (!decoder.finished()) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n <= 0) return false;
    std::string_view in(buf.data(), static_cast<std::size_t>(n));
    while (true) {
      const DecodeEvent ev = decoder.next(in);
      if (ev.kind == EventKind::kError) return false;
      if (ev.kind == EventKind::kNeedMore || ev.kind == EventKind::kEndRequest) break;
    }
  }
  return true;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--socket") {
      o.socket_path = next();
    } else if (a == "--tcp") {
      const std::string hp = next();
      o.host = hp.substr(0, hp.rfind(':'));
      o.port = std::atoi(hp.substr(hp.rfind(':') + 1).c_str());
    } else if (a == "--script") {
      o.script = next();
    } else if (a == "--connections") {
      o.connections = std::atoi(next().c_str());
    } else if (a == "--seconds") {
      o.seconds = std::atoi(next().c_str());
    } else if (a == "--keepalive") {
      o.keepalive = true;
    } else {
      std::fprintf(stderr, "usage: fcgi_load --socket PATH|--tcp HOST:PORT --script FILE "
                           "[--connections N] [--seconds S] [--keepalive]\n");
      std::exit(2);
    }
  }
  if (o.script.empty() || (o.socket_path.empty() && o.port == 0)) {
    std::fprintf(stderr, "fcgi_load: --script and --socket or --tcp are required\n");
    std::exit(2);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const std::string request = encode(o);
  std::atomic<bool> stop{false};
  std::atomic<long> done{0};
  std::atomic<long> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < o.connections; ++t) {
    threads.emplace_back([&] {
      std::vector<char> buf(64 * 1024);
      int fd = -1;
      while (!stop.load(std::memory_order_relaxed)) {
        if (fd < 0) fd = connect_to(o);
        if (fd < 0 || !exchange(fd, request, buf)) {
          failed.fetch_add(1);
          if (fd >= 0) ::close(fd);
          fd = -1;
          continue;
        }
        done.fetch_add(1, std::memory_order_relaxed);
        if (!o.keepalive) {
          ::close(fd);
          fd = -1;
        }
      }
      if (fd >= 0) ::close(fd);
    });
  }
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
  stop.store(true);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto& t : threads) t.join();
  // Our own CPU per request, so a comparison can charge the load generator's share.
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const double cpu_us = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
                        static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  const long n = done.load();
  std::printf("requests %ld failed %ld requests/sec %.0f cpu_us/request %.1f\n", n, failed.load(),
              static_cast<double>(n) / secs, n > 0 ? cpu_us / static_cast<double>(n) : 0.0);
  return failed.load() == 0 ? 0 : 1;
}
