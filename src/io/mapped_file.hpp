#pragma once
// Read-only bytes of a model file: a POSIX memory mapping of a file on disk,
// or a 64-byte aligned heap copy of bytes given in memory. Either way the data
// is immutable for the object's lifetime, so any number of threads may read it.

#include "supportnlp/result.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace supportnlp::io {

class MappedBytes {
public:
  MappedBytes(const MappedBytes&) = delete;
  MappedBytes& operator=(const MappedBytes&) = delete;
  ~MappedBytes();

  // Maps `path` read-only. An empty file maps to zero bytes (no mapping).
  // Errors name the path: not_found if it does not exist, io_error otherwise.
  static Result<std::shared_ptr<const MappedBytes>> map_file(const std::string& path);
  // Copies `bytes` into a buffer whose start is 64-byte aligned; nullptr if
  // memory runs out.
  static std::shared_ptr<const MappedBytes> copy(std::string_view bytes);

  const unsigned char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

private:
  MappedBytes() = default;
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false; // true: munmap on destruction; false: aligned delete
};

} // namespace supportnlp::io
