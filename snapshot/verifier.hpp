#pragma once
// Verification of untrusted snapshot bytes (cli.md §4 "Verification"): container, SHA-256,
// flatbuffers::Verifier with explicit limits, then semantic checks. After it succeeds the
// accessors are used unchecked ("verify once, then trust").

#include <cstdint>
#include <span>
#include <string>

#include "snapshot/format.hpp"
#include "snapshot/result.hpp"

namespace flux::fxs {
struct Snapshot;
}

namespace flux::snapshot {

struct VerifiedSnapshot {
  Header header;
  std::span<const std::uint8_t> payload;
  const fxs::Snapshot* root = nullptr;
  std::string hash_label;  // "sha256:…"
};

// `file_bytes` must stay alive (and unmodified) as long as the result is used.
Result<VerifiedSnapshot> verify(std::span<const std::uint8_t> file_bytes);

}  // namespace flux::snapshot
