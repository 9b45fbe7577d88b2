#pragma once
/// \file
/// The model container: the one binary file format every supportnlp model and
/// index is stored in. docs/model-format.md is the specification.
///
/// A file holds a kind string ("intent", "sentiment", "kb", ...), a format
/// version, JSON metadata and named tensors (f32, f16, i8 with scale, u8
/// blobs, i32, u32, u64), each 64-byte aligned and CRC32-checked. Files are
/// memory-mapped on load and tensor data is viewed in place, never copied.
/// open() verifies every checksum, tensors included, so it reads the file
/// once (about 0.9 GB/s, page cache warm); after that no call can see
/// corrupted data.
///
/// \code
///   supportnlp::io::ModelWriter w("intent");
///   w.set_metadata(R"({"labels":["refund","shipping"]})");
///   w.add_tensor("weights", supportnlp::io::DType::f32, {2, 3}, data, 6 * sizeof(float));
///   if (auto r = w.save("intent.snlp"); !r) { /* r.error().message */ }
///
///   auto file = supportnlp::io::ModelFile::open("intent.snlp", "intent");
///   const supportnlp::io::Tensor* t = file->find("weights");
/// \endcode
///
/// Thread safety: a ModelFile is immutable after open(); all const methods may
/// be called from any number of threads. Copies share the same mapping.

#include "supportnlp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::io {

/// Current format version written by this library. A file with a newer major
/// version is rejected; a newer minor version of the same major is read.
inline constexpr std::uint16_t kFormatMajor = 1;
inline constexpr std::uint16_t kFormatMinor = 0;

/// Element type of a tensor. Values are part of the file format: never renumber.
enum class DType : std::uint8_t {
  f32 = 1, ///< IEEE 754 binary32
  f16 = 2, ///< IEEE 754 binary16
  i8 = 3,  ///< signed 8-bit; real value = scale * stored value
  u8 = 4,  ///< raw bytes (blobs: vocabularies, SentencePiece models, strings)
  i32 = 5, ///< signed 32-bit
  u32 = 6, ///< unsigned 32-bit
  u64 = 7, ///< unsigned 64-bit
};

/// Size in bytes of one element of `dtype`.
std::size_t dtype_size(DType dtype) noexcept;
/// Name of a dtype, e.g. "f32".
const char* to_string(DType dtype) noexcept;

/// A read-only view of one tensor of an open ModelFile. `data` points into the
/// file's mapping and stays valid as long as any copy of the ModelFile lives.
struct Tensor {
  std::string name;                ///< unique within its file, UTF-8
  DType dtype = DType::u8;         ///< element type
  std::vector<std::int64_t> shape; ///< row-major; empty shape = scalar
  float scale = 1.0f;              ///< for i8: real value = scale * stored value
  const void* data = nullptr;      ///< 64-byte aligned
  std::size_t bytes = 0;           ///< byte length of data

  /// Number of elements (product of shape; 1 for a scalar).
  std::int64_t elements() const noexcept;
  /// Typed pointer; the caller checks dtype first.
  template <class T> const T* as() const noexcept { return static_cast<const T*>(data); }
  /// The tensor's bytes as a string_view (for u8 blobs).
  std::string_view view() const noexcept { return {static_cast<const char*>(data), bytes}; }
};

/// Builds a model file in memory and writes it. Not thread-safe: use one
/// writer per thread.
class ModelWriter {
public:
  /// `kind` names what the file holds; readers check it (see ModelFile::open).
  explicit ModelWriter(std::string kind);

  /// Metadata as a JSON text (an object). Checked for validity at save time.
  void set_metadata(std::string json);

  /// Adds a tensor; its bytes are copied. `bytes` must equal the product of
  /// `shape` times dtype_size(dtype). Names must be unique; errors are
  /// reported by save().
  void add_tensor(std::string name, DType dtype, std::vector<std::int64_t> shape, const void* data,
                  std::size_t bytes, float scale = 1.0f);
  /// Adds a u8 blob of the given bytes, shape {size}.
  void add_blob(std::string name, std::string_view bytes);

  /// The file's bytes (deterministic: same inputs, same bytes). Errors
  /// (invalid_argument, naming the tensor): invalid kind, metadata not a
  /// UTF-8 JSON object, duplicate or invalid tensor names, bytes not matching
  /// shape x dtype, rank > 8, non-finite scale or scale != 1 for non-i8.
  [[nodiscard]] Result<std::string> serialize() const;
  /// Writes the file atomically: `<path>.tmp-<pid>-<n>`, fsync, rename over
  /// `path`. On failure `path` is untouched and the temporary is removed.
  /// Errors: those of serialize(), not_found / io_error naming `path`.
  [[nodiscard]] Result<void> save(const std::string& path) const;

private:
  struct Pending;
  std::string kind_;
  std::string metadata_ = "{}";
  std::vector<std::shared_ptr<Pending>> tensors_;
};

/// A loaded, fully validated model file. Immutable: all methods are const and
/// safe from any number of threads; copies are cheap and share the mapping.
class ModelFile {
public:
  /// Maps and validates the file at `path`: magic, version, section CRCs,
  /// tensor bounds and alignment, tensor CRCs. If `expected_kind` is not
  /// empty, a file of another kind is rejected with ErrorCode::wrong_kind.
  /// Errors: not_found / io_error (cannot open or map), truncated, bad_magic,
  /// unsupported_version (message names both versions), checksum_mismatch
  /// (names the section or tensor), corrupt (inconsistent structure, e.g.
  /// duplicate tensor names), wrong_kind (names both kinds). Every message
  /// starts with the file's path. The file must not be truncated in place
  /// while open (ModelWriter::save replaces files atomically, which is safe).
  [[nodiscard]] static Result<ModelFile> open(const std::string& path,
                                              std::string_view expected_kind = {});
  /// Same, from bytes in memory (copied into an aligned buffer). `name` is
  /// used in error messages.
  [[nodiscard]] static Result<ModelFile> from_bytes(std::string_view bytes,
                                                    std::string_view expected_kind = {},
                                                    std::string_view name = "<memory>");

  /// What the file holds, e.g. "intent" (ASCII a-z 0-9 _ - .).
  const std::string& kind() const noexcept;
  /// Format version the file was written with (major.minor).
  std::uint16_t format_major() const noexcept;
  /// See format_major(); a minor newer than kFormatMinor is read, ignoring its additions.
  std::uint16_t format_minor() const noexcept;
  /// Metadata JSON text as written.
  const std::string& metadata() const noexcept;
  /// All tensors in file order.
  const std::vector<Tensor>& tensors() const noexcept;
  /// The tensor named `name`, or nullptr.
  const Tensor* find(std::string_view name) const noexcept;
  /// The tensor named `name` checked to have `dtype` and `rank` dimensions
  /// (rank < 0: any), or an error naming the file and tensor.
  [[nodiscard]] Result<const Tensor*> require(std::string_view name, DType dtype,
                                              int rank = -1) const;
  /// Path it was opened from ("<memory>" or the given name for from_bytes).
  const std::string& path() const noexcept;

private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

/// CRC-32 (IEEE 802.3, as zlib) of `size` bytes, continuing from `crc`.
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0) noexcept;

} // namespace supportnlp::io
