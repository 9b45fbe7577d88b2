#pragma once
// Private: a reader of Hugging Face's safetensors format (issue 14). A file is
// an unsigned 64-bit little-endian header length n, n bytes of JSON
// ({name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
// {string: string}}), then the tensors' raw little-endian bytes, offsets
// counted from the end of the header.
//
// open() maps the file (io::MappedBytes) and validates the whole header
// before anything is read: every entry's dtype is known, its shape's element
// count times the dtype's size equals its byte range, ranges lie inside the
// file and do not overlap. floats() then hands out float32 values: a view
// into the mapping for an aligned F32 tensor (so processes share the pages),
// or a converted copy for F16 and BF16 (and for F32 data that is not 4-byte
// aligned). Errors name the file and the tensor; nothing throws.
//
// Thread safety: immutable once opened; every const method may be called
// from any number of threads at once.

#include "io/mapped_file.hpp"
#include "supportnlp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::embed::transformer {

/// One tensor's header entry.
struct TensorInfo {
  std::string name;
  std::string dtype;               // "F32", "F16", "BF16", "I64", ...
  std::vector<std::int64_t> shape; // empty for a scalar
  std::size_t begin = 0, end = 0;  // byte range from the start of the data section
};

/// Float32 values of one tensor: `data` points into the mapping, or into
/// `owned` when the values had to be converted or realigned. Copies share.
struct FloatTensor {
  const float* data = nullptr;
  std::size_t size = 0;
  std::shared_ptr<const std::vector<float>> owned;
};

class SafeTensors {
public:
  /// Maps and validates `path`. Errors: not_found / io_error (the file),
  /// truncated (shorter than its header says), corrupt (a malformed header:
  /// the message names the tensor and the field).
  [[nodiscard]] static Result<SafeTensors> open(const std::string& path);
  /// Same over bytes already in memory (copied); `name` is used in messages.
  [[nodiscard]] static Result<SafeTensors> from_bytes(std::string_view bytes,
                                                      const std::string& name);

  /// The entry named `name`, or nullptr.
  const TensorInfo* find(std::string_view name) const noexcept;
  /// Every entry, in header order sorted by name.
  const std::vector<TensorInfo>& tensors() const noexcept { return tensors_; }
  /// The file's name as given to open().
  const std::string& path() const noexcept { return path_; }
  /// The JSON header's bytes (for fingerprints).
  std::string_view header() const noexcept;
  /// Start and size of the tensor data section.
  const unsigned char* data() const noexcept;
  std::size_t data_size() const noexcept;

  /// Float32 values of tensor `name`, which must have exactly `shape`.
  /// F32 is used in place when 4-byte aligned; F16 and BF16 are converted.
  /// Errors (naming file and tensor): not_found, corrupt (other shape),
  /// invalid_data (a dtype that is not a float, or a NaN/infinite value).
  [[nodiscard]] Result<FloatTensor> floats(const std::string& name,
                                           const std::vector<std::int64_t>& shape) const;

private:
  static Result<SafeTensors> parse(std::shared_ptr<const io::MappedBytes> bytes, std::string path);
  std::shared_ptr<const io::MappedBytes> bytes_;
  std::string path_;
  std::size_t header_size_ = 0; // n
  std::vector<TensorInfo> tensors_;
};

/// "[2, 3]" for messages.
std::string shape_string(const std::vector<std::int64_t>& shape);

} // namespace supportnlp::embed::transformer
