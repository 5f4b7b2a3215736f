#include "snapshot/verifier.hpp"

#include <flatbuffers/flatbuffers.h>

#include "snapshot/fxs_generated.h"
#include "snapshot/semantic_check.hpp"

namespace flux::snapshot {
namespace {

// cli.md §4 step 3: max depth 64, max tables 1 000 000.
constexpr flatbuffers::uoffset_t kMaxDepth = 64;
constexpr flatbuffers::uoffset_t kMaxTables = 1'000'000;

Error fail(std::string message) { return make_error(std::move(message)); }

}  // namespace

Result<VerifiedSnapshot> verify(std::span<const std::uint8_t> file_bytes) {
  if (file_bytes.size() < kHeaderSize) {
    return fail("snapshot is truncated (" + std::to_string(file_bytes.size()) +
                " bytes, the header alone is 64)");
  }
  if (!has_magic(file_bytes)) return fail("not a fluxheim snapshot (bad magic)");
  VerifiedSnapshot out;
  out.header = decode_header(file_bytes.first<kHeaderSize>());
  const Header& h = out.header;
  if (h.major != kFormatMajor || h.minor > kFormatMinor) {
    return fail("unsupported snapshot format " + std::to_string(h.major) + "." +
                std::to_string(h.minor) + " (this build reads " + std::to_string(kFormatMajor) +
                ".0 to " + std::to_string(kFormatMajor) + "." + std::to_string(kFormatMinor) +
                ")");
  }
  if (h.flags != 0) return fail("unsupported snapshot flags " + std::to_string(h.flags));
  if (h.payload_offset != kHeaderSize || h.payload_length > file_bytes.size() ||
      file_bytes.size() - kHeaderSize != h.payload_length) {
    return fail("snapshot is truncated or has trailing bytes (header says " +
                std::to_string(h.payload_offset + h.payload_length) + " bytes, file has " +
                std::to_string(file_bytes.size()) + ")");
  }
  out.payload = file_bytes.subspan(kHeaderSize);
  const Sha256 actual = sha256(out.payload);
  if (actual != h.payload_sha256) {
    return fail("snapshot checksum mismatch (expected " + content_hash_label(h.payload_sha256) +
                ", got " + content_hash_label(actual) + ")");
  }
  flatbuffers::Verifier verifier(out.payload.data(), out.payload.size(), kMaxDepth, kMaxTables);
  if (!fxs::VerifySnapshotBuffer(verifier)) {
    return fail("snapshot payload failed structural verification");
  }
  out.root = fxs::GetSnapshot(out.payload.data());
  if (auto semantic = check_semantics(*out.root, out.payload); !semantic) {
    return fail("snapshot payload is inconsistent: " + semantic.error().message);
  }
  out.hash_label = content_hash_label(actual);
  return out;
}

}  // namespace flux::snapshot
