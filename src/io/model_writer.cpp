// ModelWriter: lays out a model file exactly as docs/model-format.md
// specifies. Everything is validated here too, so a file this library writes
// is always one it will read back.

#include "io/format_layout.hpp"
#include "supportnlp/io/model_file.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_set>

#include <fcntl.h>
#include <unistd.h>

namespace supportnlp::io {

struct ModelWriter::Pending {
  std::string name;
  DType dtype = DType::u8;
  std::vector<std::int64_t> shape;
  float scale = 1.0f;
  std::string bytes;
  std::string error; // set by add_tensor, reported by serialize()
};

namespace {

// Elements of `shape`, or -1 if a dimension is negative or the product
// overflows int64.
std::int64_t checked_elements(const std::vector<std::int64_t>& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0) return -1;
    if (d != 0 && n > std::numeric_limits<std::int64_t>::max() / d) return -1;
    n *= d;
  }
  return n;
}

std::string describe_shape(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string check_tensor(const std::string& name, DType dtype,
                         const std::vector<std::int64_t>& shape, const void* data,
                         std::size_t bytes, float scale) {
  if (name.empty()) return "tensor name is empty";
  if (name.size() > format::kMaxNameLen) return "tensor name is longer than 65535 bytes";
  if (!format::valid_utf8(name.data(), name.size())) return "tensor name is not valid UTF-8";
  if (!format::known_dtype(static_cast<std::uint8_t>(dtype)))
    return "unknown dtype " + std::to_string(static_cast<int>(dtype));
  if (shape.size() > format::kMaxRank)
    return "rank " + std::to_string(shape.size()) + " exceeds the maximum of 8";
  const std::int64_t n = checked_elements(shape);
  if (n < 0) return "shape " + describe_shape(shape) + " has a negative or overflowing size";
  const auto esize = static_cast<std::uint64_t>(dtype_size(dtype));
  if (static_cast<std::uint64_t>(n) > std::numeric_limits<std::uint64_t>::max() / esize ||
      static_cast<std::uint64_t>(n) * esize != bytes)
    return "shape " + describe_shape(shape) + " of " + to_string(dtype) + " needs " +
           std::to_string(static_cast<std::uint64_t>(n) * esize) + " bytes, got " +
           std::to_string(bytes);
  if (bytes > 0 && data == nullptr) return "data is null";
  if (!std::isfinite(scale)) return "scale is not finite";
  if (dtype == DType::i8 && !(scale > 0.0f)) return "an i8 scale must be positive";
  if (dtype != DType::i8 && scale != 1.0f) return "scale must be 1 for a non-i8 tensor";
  return {};
}

Error writer_error(const std::string& kind, std::string problem) {
  return make_error(ErrorCode::invalid_argument, "model '" + kind + "': " + std::move(problem));
}

} // namespace

ModelWriter::ModelWriter(std::string kind) : kind_(std::move(kind)) {}

void ModelWriter::set_metadata(std::string json) {
  metadata_ = std::move(json);
}

void ModelWriter::add_tensor(std::string name, DType dtype, std::vector<std::int64_t> shape,
                             const void* data, std::size_t bytes, float scale) {
  auto t = std::make_shared<Pending>();
  t->error = check_tensor(name, dtype, shape, data, bytes, scale);
  t->name = std::move(name);
  t->dtype = dtype;
  t->shape = std::move(shape);
  t->scale = scale;
  if (t->error.empty() && bytes > 0) t->bytes.assign(static_cast<const char*>(data), bytes);
  tensors_.push_back(std::move(t));
}

void ModelWriter::add_blob(std::string name, std::string_view bytes) {
  add_tensor(std::move(name), DType::u8, {static_cast<std::int64_t>(bytes.size())}, bytes.data(),
             bytes.size());
}

Result<std::string> ModelWriter::serialize() const {
  using namespace format;
  if (!valid_kind(kind_.data(), kind_.size()))
    return make_error(ErrorCode::invalid_argument,
                      "model kind '" + kind_ +
                          "' is invalid: use 1-64 characters from a-z, 0-9, '_', '-', '.'");
  if (!valid_utf8(metadata_.data(), metadata_.size()))
    return writer_error(kind_, "metadata is not valid UTF-8");
  {
    const auto json = nlohmann::json::parse(metadata_, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return writer_error(kind_, "metadata is not valid JSON");
    if (!json.is_object()) return writer_error(kind_, "metadata must be a JSON object");
  }
  if (metadata_.size() > std::numeric_limits<std::uint32_t>::max())
    return writer_error(kind_, "metadata is larger than 4 GiB");
  if (tensors_.size() > std::numeric_limits<std::uint32_t>::max())
    return writer_error(kind_, "too many tensors");

  std::unordered_set<std::string_view> names;
  std::uint64_t directory_len = 0;
  for (const auto& t : tensors_) {
    if (!t->error.empty()) return writer_error(kind_, "tensor '" + t->name + "': " + t->error);
    if (!names.insert(t->name).second)
      return writer_error(kind_, "duplicate tensor name '" + t->name + "'");
    directory_len += kEntryFixedSize + 8 * t->shape.size() + t->name.size();
  }
  if (directory_len > std::numeric_limits<std::uint32_t>::max())
    return writer_error(kind_, "tensor directory is larger than 4 GiB");

  const std::uint64_t kind_at = kHeaderSize;
  const std::uint64_t metadata_at = kind_at + kind_.size();
  const std::uint64_t directory_at = metadata_at + metadata_.size();
  const std::uint64_t data_offset = align_up(directory_at + directory_len);
  std::vector<std::uint64_t> offsets;
  offsets.reserve(tensors_.size());
  std::uint64_t end = data_offset;
  for (const auto& t : tensors_) {
    const std::uint64_t at = align_up(end);
    offsets.push_back(at);
    end = at + t->bytes.size();
  }
  if (end > std::numeric_limits<std::size_t>::max())
    return writer_error(kind_, "file would not fit in memory");

  std::string out;
  try {
    out.assign(static_cast<std::size_t>(end), '\0'); // padding stays zero, as the spec requires
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::io_error, "model '" + kind_ + "': out of memory serializing " +
                                               std::to_string(end) + " bytes");
  }
  auto* base = reinterpret_cast<unsigned char*>(out.data());
  std::memcpy(base + kind_at, kind_.data(), kind_.size());
  std::memcpy(base + metadata_at, metadata_.data(), metadata_.size());

  unsigned char* e = base + directory_at;
  for (std::size_t i = 0; i < tensors_.size(); ++i) {
    const Pending& t = *tensors_[i];
    const std::size_t len = kEntryFixedSize + 8 * t.shape.size() + t.name.size();
    store_u32(e + kEntOffLen, static_cast<std::uint32_t>(len));
    e[kEntOffDType] = static_cast<unsigned char>(t.dtype);
    e[kEntOffRank] = static_cast<unsigned char>(t.shape.size());
    store_u16(e + kEntOffNameLen, static_cast<std::uint16_t>(t.name.size()));
    store_f32(e + kEntOffScale, t.scale);
    store_u32(e + kEntOffCrc, crc32(t.bytes.data(), t.bytes.size()));
    store_u64(e + kEntOffOffset, offsets[i]);
    store_u64(e + kEntOffSize, t.bytes.size());
    for (std::size_t d = 0; d < t.shape.size(); ++d)
      store_u64(e + kEntryFixedSize + 8 * d, static_cast<std::uint64_t>(t.shape[d]));
    std::memcpy(e + kEntryFixedSize + 8 * t.shape.size(), t.name.data(), t.name.size());
    if (!t.bytes.empty()) std::memcpy(base + offsets[i], t.bytes.data(), t.bytes.size());
    e += len;
  }

  std::memcpy(base + kOffMagic, kMagic, sizeof kMagic);
  store_u16(base + kOffMajor, kFormatMajor);
  store_u16(base + kOffMinor, kFormatMinor);
  store_u32(base + kOffHeaderSize, kHeaderSize);
  store_u64(base + kOffFileSize, end);
  store_u64(base + kOffDataOffset, data_offset);
  store_u32(base + kOffKindLen, static_cast<std::uint32_t>(kind_.size()));
  store_u32(base + kOffMetadataLen, static_cast<std::uint32_t>(metadata_.size()));
  store_u32(base + kOffTensorCount, static_cast<std::uint32_t>(tensors_.size()));
  store_u32(base + kOffDirectoryLen, static_cast<std::uint32_t>(directory_len));
  std::uint32_t dir_crc = crc32(base + kind_at, kind_.size());
  dir_crc = crc32(base + directory_at, directory_len, dir_crc);
  store_u32(base + kOffDirectoryCrc, dir_crc);
  store_u32(base + kOffMetadataCrc, crc32(base + metadata_at, metadata_.size()));
  store_u32(base + kOffReserved, 0);
  store_u32(base + kOffHeaderCrc, crc32(base, kOffHeaderCrc));
  return out;
}

Result<void> ModelWriter::save(const std::string& path) const {
  auto bytes = serialize();
  if (!bytes) return bytes.error();

  // Write beside the target and rename over it, so a reader never sees a
  // half-written model and a failed save leaves the old file intact.
  static std::atomic<unsigned> counter{0};
  const std::string tmp =
      path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
  auto fail = [&](const char* what, int err) -> Result<void> {
    ::unlink(tmp.c_str());
    const ErrorCode code =
        (err == ENOENT || err == ENOTDIR) ? ErrorCode::not_found : ErrorCode::io_error;
    return make_error(code, path + ": " + what + ": " + std::strerror(err));
  };

  int fd;
  do {
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    const ErrorCode code =
        (err == ENOENT || err == ENOTDIR) ? ErrorCode::not_found : ErrorCode::io_error;
    return make_error(code, path + ": cannot create temporary file: " + std::strerror(err));
  }
  const char* p = bytes->data();
  std::size_t left = bytes->size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return fail("cannot write model file", err);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return fail("cannot flush model file", err);
  }
  if (::close(fd) != 0) return fail("cannot close model file", errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename model file", errno);
  return {};
}

} // namespace supportnlp::io
