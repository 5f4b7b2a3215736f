#pragma once
// A read-only, private memory mapping of a whole file (cli.md §4 step 3: the snapshot is
// mmapped PROT_READ / MAP_PRIVATE, so later writes to the file never change what we verified
// as long as the writer replaces it with rename(2), which fluxc always does).

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
  bool mapped_ = false;
};

}  // namespace flux::runtime
