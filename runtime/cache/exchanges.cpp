#include <utility>  // before Asio: Boost 1.81 + GCC 12 in C++20 (toolchain.md §3)

#include "runtime/cache/exchanges.hpp"

#include <algorithm>

namespace flux::runtime::cache {

namespace asio = boost::asio;

http::Request unconditional(const http::Request& request) {
  static constexpr std::string_view kDropped[] = {
      "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "range"};
  http::Request out = request;
  std::erase_if(out.headers, [](const http::Header& h) {
    return std::any_of(std::begin(kDropped), std::end(kDropped),
                       [&](std::string_view d) { return http::iequals(h.name, d); });
  });
  return out;
}

void Capture::head(const http::Response& response) {
  started = true;
  status = response.status;
  headers = response.headers;
}

void Capture::data(std::span<const char> bytes) {
  if (!wanted || overflow) return;
  if (body.size() + bytes.size() > limit) {
    overflow = true;
    std::string().swap(body);  // the copy is useless now; give the memory back at once
    return;
  }
  body.append(bytes.data(), bytes.size());
}

asio::awaitable<bool> TeeExchange::send_head(http::StreamHead head) {
  // The head is already finalized (response policy applied): the cache's context wrapper
  // captured the action's own head in `finalize`, so only the start is noted here.
  capture_.started = true;
  co_return co_await client_.send_head(std::move(head));
}

asio::awaitable<bool> TeeExchange::send_data(std::span<const char> data) {
  capture_.data(data);
  co_return co_await client_.send_data(data);
}

asio::awaitable<bool> TeeExchange::finish() {
  const bool ok = co_await client_.finish();
  capture_.complete = ok;
  co_return ok;
}

OwnedRequest::OwnedRequest(const http::Request& r) : request_(r) {
  request_.method = keep(r.method);
  request_.target = keep(r.target);
  request_.path = keep(r.path);
  request_.query = keep(r.query);
  request_.host_raw = keep(r.host_raw);
  for (auto& h : request_.headers) {
    h.name = keep(h.name);
    h.value = keep(h.value);
  }
}

std::string_view OwnedRequest::keep(std::string_view s) { return storage_.emplace_back(s); }

DetachedExchange::DetachedExchange(const http::Request& original,
                                   std::shared_ptr<const Generation> generation,
                                   asio::any_io_executor executor, Capture& capture)
    : request_(unconditional(original)),
      generation_(std::move(generation)),
      executor_(std::move(executor)),
      capture_(capture) {
  request_.get().method = "GET";
}

asio::awaitable<http::BodyRead> DetachedExchange::read_body(std::span<char>) {
  co_return http::BodyRead{http::BodyStatus::kEnd, 0};
}

asio::awaitable<bool> DetachedExchange::send(http::Response response) {
  capture_.head(response);
  capture_.data(response.body);
  capture_.complete = !response.file.present();
  co_return true;
}

asio::awaitable<bool> DetachedExchange::send_head(http::StreamHead) {
  capture_.started = true;
  co_return true;
}

asio::awaitable<bool> DetachedExchange::send_data(std::span<const char> data) {
  capture_.data(data);
  co_return true;
}

asio::awaitable<bool> DetachedExchange::finish() {
  capture_.complete = true;
  co_return true;
}

asio::awaitable<std::size_t> DetachedExchange::read_raw(std::span<char>, std::chrono::seconds) {
  co_return 0;
}

asio::awaitable<bool> DetachedExchange::write_raw(std::span<const char>) { co_return false; }

}  // namespace flux::runtime::cache
