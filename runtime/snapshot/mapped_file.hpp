#pragma once
// A read-only, private in-memory image of a whole file (cli.md §4 step 3: PROT_READ,
// MAP_PRIVATE). The bytes are read into an anonymous private mapping that is then made
// read-only, instead of mapping the file itself: a MAP_PRIVATE file mapping still shows later
// in-place writes to the file, and truncation turns every access into SIGBUS. `cp new.fxs
// site.fxs` is something operators do, so what we verified must never change under us.

#include <cstdint>
#include <span>
#include <string>

#include "snapshot/result.hpp"

namespace flux::runtime {

class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  // `missing` is set when the failure is ENOENT/EACCES-style "cannot open" (exit 66).
  static Result<MappedFile> open(const std::string& path, bool* missing);

  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }

 private:
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t map_length_ = 0;
  bool mapped_ = false;
};

}  // namespace flux::runtime
