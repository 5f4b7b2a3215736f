#include "runtime/snapshot/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace flux::runtime {

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      map_length_(std::exchange(other.map_length_, 0)),
      mapped_(std::exchange(other.mapped_, false)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (mapped_) ::munmap(const_cast<std::uint8_t*>(data_), map_length_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    map_length_ = std::exchange(other.map_length_, 0);
    mapped_ = std::exchange(other.mapped_, false);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (mapped_) ::munmap(const_cast<std::uint8_t*>(data_), map_length_);
}

Result<MappedFile> MappedFile::open(const std::string& path, bool* missing) {
  *missing = false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *missing = true;
    return make_error(std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    *missing = true;
    return make_error("not a regular file");
  }
  MappedFile out;
  out.size_ = static_cast<std::size_t>(st.st_size);
  if (out.size_ == 0) {
    ::close(fd);
    return out;
  }
  void* p = ::mmap(nullptr, out.size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (p == MAP_FAILED) {
    const int err = errno;
    ::close(fd);
    return make_error(std::string("mmap failed: ") + std::strerror(err));
  }
  out.data_ = static_cast<const std::uint8_t*>(p);
  out.map_length_ = out.size_;
  out.mapped_ = true;
  std::size_t done = 0;
  while (done < out.size_) {
    const ssize_t n = ::pread(fd, static_cast<char*>(p) + done, out.size_ - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the file shrank while we read it: verification will refuse the image
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  out.size_ = done;
  ::mprotect(p, out.map_length_, PROT_READ);
  return out;
}

}  // namespace flux::runtime
