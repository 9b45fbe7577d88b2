#include "io/mapped_file.hpp"

#include <cerrno>
#include <cstring>
#include <new>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace supportnlp::io {
namespace {

constexpr std::align_val_t kBufferAlignment{64};

Error errno_error(const std::string& path, const char* what, int err) {
  const ErrorCode code =
      (err == ENOENT || err == ENOTDIR) ? ErrorCode::not_found : ErrorCode::io_error;
  return make_error(code, path + ": " + what + ": " + std::strerror(err));
}

} // namespace

MappedBytes::~MappedBytes() {
  if (data_ == nullptr) return;
  if (mapped_) {
    ::munmap(const_cast<unsigned char*>(data_), size_);
  } else {
    ::operator delete[](const_cast<unsigned char*>(data_), kBufferAlignment);
  }
}

Result<std::shared_ptr<const MappedBytes>> MappedBytes::map_file(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return errno_error(path, "cannot open model file", errno);

  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return errno_error(path, "cannot stat model file", err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(ErrorCode::io_error, path + ": not a regular file");
  }

  std::shared_ptr<MappedBytes> bytes(new MappedBytes());
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > 0) {
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      return errno_error(path, "cannot map model file", err);
    }
    bytes->data_ = static_cast<const unsigned char*>(p);
    bytes->size_ = size;
    bytes->mapped_ = true;
  }
  ::close(fd); // the mapping stays valid without the descriptor
  return std::shared_ptr<const MappedBytes>(std::move(bytes));
}

std::shared_ptr<const MappedBytes> MappedBytes::copy(std::string_view src) {
  std::shared_ptr<MappedBytes> bytes(new MappedBytes());
  if (!src.empty()) {
    auto* buf =
        static_cast<unsigned char*>(::operator new[](src.size(), kBufferAlignment, std::nothrow));
    if (buf == nullptr) return nullptr;
    std::memcpy(buf, src.data(), src.size());
    bytes->data_ = buf;
    bytes->size_ = src.size();
  }
  return bytes;
}

} // namespace supportnlp::io
