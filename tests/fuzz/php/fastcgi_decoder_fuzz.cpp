// libFuzzer target: the FastCGI record decoder (php-behaviour.md §8.1). The first input byte
// picks a chunk size; the rest is fed in chunks of that size and in one piece. Both feeds must
// give the same result (the decoder's outcome may not depend on how bytes arrive), and the
// STDOUT+STDERR cap must hold.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "runtime/fastcgi/codec/decoder.hpp"

namespace {

using namespace flux::runtime::fastcgi;

constexpr std::uint64_t kMaxResponse = 4096;

struct Outcome {
  std::string out;
  std::string err;
  bool ended = false;
  EndRequest end;
  DecodeError error = DecodeError::kNone;
};

Outcome run(std::string_view input, std::size_t chunk) {
  RecordDecoder d({.max_response_bytes = kMaxResponse});
  Outcome o;
  while (!input.empty() && o.error == DecodeError::kNone) {
    std::string_view piece = input.substr(0, chunk);
    input.remove_prefix(piece.size());
    for (;;) {
      const DecodeEvent ev = d.next(piece);
      if (ev.kind == EventKind::kNeedMore) break;
      if (ev.kind == EventKind::kStdout) o.out.append(ev.data);
      if (ev.kind == EventKind::kStderr) o.err.append(ev.data);
      if (ev.kind == EventKind::kEndRequest) {
        o.ended = true;
        o.end = ev.end;
      }
      if (ev.kind == EventKind::kError) {
        o.error = ev.error;
        break;
      }
    }
  }
  if (o.out.size() + o.err.size() > kMaxResponse) std::abort();
  if (o.ended != d.finished() && o.error == DecodeError::kNone) std::abort();
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = static_cast<std::size_t>(data[0] % 17) + 1;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const Outcome whole = run(input, input.size() + 1);
  const Outcome split = run(input, chunk);
  if (whole.error != split.error || whole.ended != split.ended) std::abort();
  // Data seen before an error may differ only by where the error struck; without one it is
  // the same.
  if (whole.error == DecodeError::kNone && (whole.out != split.out || whole.err != split.err ||
                                            whole.end.app_status != split.end.app_status)) {
    std::abort();
  }
  return 0;
}
