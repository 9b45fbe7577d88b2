// ModelFile: validates a model file completely before handing out any view
// of it. Every length, offset and count is checked against the bytes really
// present before it is used, and every byte of the file is covered either by
// a CRC or by a rule (zero padding), so corruption is reported, never read.

#include "supportnlp/io/model_file.hpp"
#include "io/format_layout.hpp"
#include "io/mapped_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

namespace supportnlp::io {

// What a validated file holds; ModelFile::Impl is exactly this.
struct LoadedModel {
  std::shared_ptr<const MappedBytes> bytes;
  std::string path;
  std::string kind;
  std::string metadata;
  std::uint16_t major = 0;
  std::uint16_t minor = 0;
  std::vector<Tensor> tensors;
  std::map<std::string, std::size_t, std::less<>> by_name;
};

struct ModelFile::Impl : LoadedModel {};

namespace {

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string version_string(std::uint32_t major, std::uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Reads the file's structure; `fail` builds errors that name the file.
class Parser {
public:
  Parser(const MappedBytes& bytes, const std::string& path)
      : b_(bytes.data()), n_(bytes.size()), path_(path) {}

  Error fail(ErrorCode code, const std::string& problem) const {
    return make_error(code, path_ + ": " + problem);
  }

  Result<void> parse(LoadedModel& m, std::string_view expected_kind);

private:
  Result<void> parse_header(LoadedModel& m);
  Result<void> parse_directory(LoadedModel& m);
  Result<void> check_padding() const;
  Result<void> check_zero(std::uint64_t from, std::uint64_t to) const;

  const unsigned char* b_;
  std::size_t n_;
  const std::string& path_;
  bool known_minor_ = true; // file minor <= ours: every rule of this version applies
  std::uint64_t header_size_ = 0, data_offset_ = 0, file_size_ = 0;
  std::uint64_t kind_at_ = 0, metadata_at_ = 0, directory_at_ = 0, directory_end_ = 0;
  std::uint32_t kind_len_ = 0, metadata_len_ = 0, tensor_count_ = 0, directory_len_ = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> extents_; // tensor [offset, end)
  std::vector<std::uint32_t> crcs_;                              // per tensor, file order
};

Result<void> Parser::parse_header(LoadedModel& m) {
  using namespace format;
  const std::size_t magic_seen = std::min(n_, sizeof kMagic);
  if (n_ == 0) return fail(ErrorCode::truncated, "file is empty");
  if (std::memcmp(b_, kMagic, magic_seen) != 0)
    return fail(ErrorCode::bad_magic, "not a supportnlp model file (bad magic bytes)");
  if (n_ < kOffMinor + 2)
    return fail(ErrorCode::truncated,
                "file is truncated: " + std::to_string(n_) + " bytes, shorter than the header");
  m.major = load_u16(b_ + kOffMajor);
  m.minor = load_u16(b_ + kOffMinor);
  if (m.major > kFormatMajor)
    return fail(ErrorCode::unsupported_version, "file format " + version_string(m.major, m.minor) +
                                                    " is newer than this library's " +
                                                    version_string(kFormatMajor, kFormatMinor) +
                                                    "; upgrade supportnlp to read it");
  if (m.major == 0)
    return fail(ErrorCode::unsupported_version,
                "file format " + version_string(m.major, m.minor) + " was never released");
  known_minor_ = m.major < kFormatMajor || m.minor <= kFormatMinor;
  if (n_ < kHeaderSize)
    return fail(ErrorCode::truncated, "file is truncated: " + std::to_string(n_) +
                                          " bytes, shorter than the 64-byte header");
  const std::uint32_t stored = load_u32(b_ + kOffHeaderCrc);
  const std::uint32_t computed = crc32(b_, kOffHeaderCrc);
  if (stored != computed)
    return fail(ErrorCode::checksum_mismatch, "header checksum mismatch (stored " + hex32(stored) +
                                                  ", computed " + hex32(computed) + ")");

  header_size_ = load_u32(b_ + kOffHeaderSize);
  file_size_ = load_u64(b_ + kOffFileSize);
  data_offset_ = load_u64(b_ + kOffDataOffset);
  kind_len_ = load_u32(b_ + kOffKindLen);
  metadata_len_ = load_u32(b_ + kOffMetadataLen);
  tensor_count_ = load_u32(b_ + kOffTensorCount);
  directory_len_ = load_u32(b_ + kOffDirectoryLen);

  if (file_size_ > n_)
    return fail(ErrorCode::truncated, "file is truncated: " + std::to_string(n_) +
                                          " bytes, its header says " + std::to_string(file_size_));
  if (file_size_ < n_)
    return fail(ErrorCode::corrupt, "file has " + std::to_string(n_ - file_size_) +
                                        " unexpected bytes after its end at " +
                                        std::to_string(file_size_));
  if (header_size_ < kHeaderSize || (known_minor_ && header_size_ != kHeaderSize))
    return fail(ErrorCode::corrupt, "invalid header size " + std::to_string(header_size_));
  if (known_minor_ && load_u32(b_ + kOffReserved) != 0)
    return fail(ErrorCode::corrupt, "reserved header field is not zero");
  // All sums below are of 32-bit values in 64-bit arithmetic: no overflow.
  kind_at_ = header_size_;
  metadata_at_ = kind_at_ + kind_len_;
  directory_at_ = metadata_at_ + metadata_len_;
  directory_end_ = directory_at_ + directory_len_;
  if (data_offset_ % kAlignment != 0)
    return fail(ErrorCode::corrupt,
                "tensor data offset " + std::to_string(data_offset_) + " is not 64-byte aligned");
  if (directory_end_ > data_offset_ || data_offset_ > file_size_)
    return fail(ErrorCode::corrupt, "sections overrun the file (directory ends at " +
                                        std::to_string(directory_end_) + ", data starts at " +
                                        std::to_string(data_offset_) + ", file size " +
                                        std::to_string(file_size_) + ")");

  const std::uint32_t dir_stored = load_u32(b_ + kOffDirectoryCrc);
  std::uint32_t dir_computed = crc32(b_ + kind_at_, kind_len_);
  dir_computed = crc32(b_ + directory_at_, directory_len_, dir_computed);
  if (dir_stored != dir_computed)
    return fail(ErrorCode::checksum_mismatch, "kind/tensor directory checksum mismatch (stored " +
                                                  hex32(dir_stored) + ", computed " +
                                                  hex32(dir_computed) + ")");
  const std::uint32_t meta_stored = load_u32(b_ + kOffMetadataCrc);
  const std::uint32_t meta_computed = crc32(b_ + metadata_at_, metadata_len_);
  if (meta_stored != meta_computed)
    return fail(ErrorCode::checksum_mismatch, "metadata checksum mismatch (stored " +
                                                  hex32(meta_stored) + ", computed " +
                                                  hex32(meta_computed) + ")");
  const char* kind = reinterpret_cast<const char*>(b_ + kind_at_);
  if (!valid_kind(kind, kind_len_)) return fail(ErrorCode::corrupt, "invalid kind string");
  m.kind.assign(kind, kind_len_);
  return {};
}

Result<void> Parser::parse_directory(LoadedModel& m) {
  using namespace format;
  if (tensor_count_ > directory_len_ / kEntryFixedSize)
    return fail(ErrorCode::corrupt, "tensor count " + std::to_string(tensor_count_) +
                                        " does not fit a directory of " +
                                        std::to_string(directory_len_) + " bytes");
  m.tensors.reserve(tensor_count_);
  extents_.reserve(tensor_count_);
  crcs_.reserve(tensor_count_);
  std::uint64_t at = directory_at_;
  for (std::uint32_t i = 0; i < tensor_count_; ++i) {
    const std::string which = "tensor #" + std::to_string(i);
    const std::uint64_t left = directory_end_ - at;
    if (left < kEntryFixedSize)
      return fail(ErrorCode::corrupt, which + ": directory entry overruns the directory");
    const unsigned char* e = b_ + at;
    const std::uint32_t entry_len = load_u32(e + kEntOffLen);
    const std::uint8_t dtype = e[kEntOffDType];
    const std::uint8_t rank = e[kEntOffRank];
    const std::uint16_t name_len = load_u16(e + kEntOffNameLen);
    if (entry_len < kEntryFixedSize || entry_len > left)
      return fail(ErrorCode::corrupt,
                  which + ": invalid directory entry length " + std::to_string(entry_len));
    if (rank > kMaxRank)
      return fail(ErrorCode::corrupt, which + ": rank " + std::to_string(rank) + " exceeds 8");
    const std::uint64_t need = kEntryFixedSize + 8ULL * rank + name_len;
    if (need > entry_len || (known_minor_ && need != entry_len))
      return fail(ErrorCode::corrupt, which + ": directory entry length " +
                                          std::to_string(entry_len) +
                                          " does not match its contents");
    const char* name = reinterpret_cast<const char*>(e + kEntryFixedSize + 8ULL * rank);
    if (name_len == 0 || !valid_utf8(name, name_len))
      return fail(ErrorCode::corrupt, which + ": tensor name is empty or not valid UTF-8");
    Tensor t;
    t.name.assign(name, name_len);
    const std::string named = "tensor '" + t.name + "'";
    if (!known_dtype(dtype))
      return fail(ErrorCode::corrupt, named + ": unknown dtype " + std::to_string(dtype));
    t.dtype = static_cast<DType>(dtype);
    t.scale = load_f32(e + kEntOffScale);
    // An i8 scale of 0 would zero the tensor and a negative one flip it.
    if (!std::isfinite(t.scale) || (t.dtype == DType::i8 && !(t.scale > 0.0f)) ||
        (known_minor_ && t.dtype != DType::i8 && t.scale != 1.0f))
      return fail(ErrorCode::corrupt, named + ": invalid scale " + std::to_string(t.scale) +
                                          (t.dtype == DType::i8 ? " (an i8 scale must be finite "
                                                                  "and positive)"
                                                                : " (must be 1 for this dtype)"));
    std::uint64_t elements = 1;
    t.shape.reserve(rank);
    for (std::uint8_t d = 0; d < rank; ++d) {
      const std::uint64_t dim = load_u64(e + kEntryFixedSize + 8ULL * d);
      if (dim > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
          (dim != 0 &&
           elements > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / dim))
        return fail(ErrorCode::corrupt, named + ": shape overflows");
      elements *= dim;
      t.shape.push_back(static_cast<std::int64_t>(dim));
    }
    const std::uint64_t offset = load_u64(e + kEntOffOffset);
    const std::uint64_t size = load_u64(e + kEntOffSize);
    const std::uint64_t esize = dtype_size(t.dtype);
    if (elements > std::numeric_limits<std::uint64_t>::max() / esize || elements * esize != size)
      return fail(ErrorCode::corrupt, named + ": byte size " + std::to_string(size) +
                                          " does not match its shape and dtype");
    if (offset % kAlignment != 0)
      return fail(ErrorCode::corrupt,
                  named + ": offset " + std::to_string(offset) + " is not 64-byte aligned");
    if (offset < data_offset_ || offset > file_size_ || size > file_size_ - offset)
      return fail(ErrorCode::corrupt, named + ": data [" + std::to_string(offset) + ", +" +
                                          std::to_string(size) + ") lies outside the data section");
    t.data = b_ + offset;
    t.bytes = static_cast<std::size_t>(size);
    if (!m.by_name.emplace(t.name, m.tensors.size()).second)
      return fail(ErrorCode::corrupt, "duplicate tensor name '" + t.name + "'");
    extents_.emplace_back(offset, offset + size);
    crcs_.push_back(load_u32(e + kEntOffCrc));
    m.tensors.push_back(std::move(t));
    at += entry_len;
  }
  if (known_minor_ && at != directory_end_)
    return fail(ErrorCode::corrupt, "tensor directory has " + std::to_string(directory_end_ - at) +
                                        " bytes after its last entry");

  std::sort(extents_.begin(), extents_.end());
  for (std::size_t i = 1; i < extents_.size(); ++i) {
    if (extents_[i].first < extents_[i - 1].second)
      return fail(ErrorCode::corrupt,
                  "tensor data regions overlap at offset " + std::to_string(extents_[i].first));
  }
  return {};
}

Result<void> Parser::check_zero(std::uint64_t from, std::uint64_t to) const {
  for (std::uint64_t i = from; i < to; ++i) {
    if (b_[i] != 0)
      return fail(ErrorCode::corrupt, "non-zero padding byte at offset " + std::to_string(i));
  }
  return {};
}

// Padding of a file of a known version must be zero, so that no byte of the
// file can change unnoticed. A newer minor version may use that space.
Result<void> Parser::check_padding() const {
  if (!known_minor_) return {};
  std::uint64_t pos = data_offset_;
  if (auto r = check_zero(directory_end_, data_offset_); !r) return r;
  for (const auto& [begin, end] : extents_) {
    if (auto r = check_zero(pos, begin); !r) return r;
    pos = std::max(pos, end);
  }
  return check_zero(pos, file_size_);
}

Result<void> Parser::parse(LoadedModel& m, std::string_view expected_kind) {
  if (auto r = parse_header(m); !r) return r;
  if (!expected_kind.empty() && m.kind != expected_kind)
    return fail(ErrorCode::wrong_kind,
                "is a '" + m.kind + "' model file, expected '" + std::string(expected_kind) + "'");
  const char* meta = reinterpret_cast<const char*>(b_ + metadata_at_);
  if (!format::valid_utf8(meta, metadata_len_))
    return fail(ErrorCode::corrupt, "metadata is not valid UTF-8");
  // accept() validates without building a document (no recursion, no allocation per node).
  const auto* meta_end = meta + metadata_len_;
  const auto* first = std::find_if(
      meta, meta_end, [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; });
  if (first == meta_end || *first != '{' || !nlohmann::json::accept(meta, meta_end))
    return fail(ErrorCode::corrupt, "metadata is not a valid JSON object");
  m.metadata.assign(meta, metadata_len_);
  if (auto r = parse_directory(m); !r) return r;
  if (auto r = check_padding(); !r) return r;
  for (std::size_t i = 0; i < m.tensors.size(); ++i) {
    const Tensor& t = m.tensors[i];
    const std::uint32_t computed = crc32(t.data, t.bytes);
    if (computed != crcs_[i])
      return fail(ErrorCode::checksum_mismatch,
                  "tensor '" + t.name + "' checksum mismatch (stored " + hex32(crcs_[i]) +
                      ", computed " + hex32(computed) + ")");
  }
  return {};
}

} // namespace

Result<ModelFile> ModelFile::open(const std::string& path, std::string_view expected_kind) {
  auto bytes = MappedBytes::map_file(path);
  if (!bytes) return bytes.error();
  auto impl = std::make_shared<Impl>();
  impl->bytes = std::move(bytes.value());
  impl->path = path;
  Parser parser(*impl->bytes, impl->path);
  if (auto r = parser.parse(*impl, expected_kind); !r) return r.error();
  ModelFile file;
  file.impl_ = std::move(impl);
  return file;
}

Result<ModelFile> ModelFile::from_bytes(std::string_view bytes, std::string_view expected_kind,
                                        std::string_view name) {
  auto impl = std::make_shared<Impl>();
  impl->bytes = MappedBytes::copy(bytes);
  impl->path = std::string(name);
  if (!impl->bytes)
    return make_error(ErrorCode::io_error, impl->path + ": out of memory copying " +
                                               std::to_string(bytes.size()) + " bytes");
  Parser parser(*impl->bytes, impl->path);
  if (auto r = parser.parse(*impl, expected_kind); !r) return r.error();
  ModelFile file;
  file.impl_ = std::move(impl);
  return file;
}

namespace {
const std::string kEmpty;
const std::vector<Tensor> kNoTensors;
} // namespace

// A default-constructed ModelFile (no impl_) behaves as an empty file rather
// than crashing.
const std::string& ModelFile::kind() const noexcept {
  return impl_ ? impl_->kind : kEmpty;
}
std::uint16_t ModelFile::format_major() const noexcept {
  return impl_ ? impl_->major : 0;
}
std::uint16_t ModelFile::format_minor() const noexcept {
  return impl_ ? impl_->minor : 0;
}
const std::string& ModelFile::metadata() const noexcept {
  return impl_ ? impl_->metadata : kEmpty;
}
const std::vector<Tensor>& ModelFile::tensors() const noexcept {
  return impl_ ? impl_->tensors : kNoTensors;
}
const std::string& ModelFile::path() const noexcept {
  return impl_ ? impl_->path : kEmpty;
}

const Tensor* ModelFile::find(std::string_view name) const noexcept {
  if (!impl_) return nullptr;
  const auto it = impl_->by_name.find(name);
  return it == impl_->by_name.end() ? nullptr : &impl_->tensors[it->second];
}

Result<const Tensor*> ModelFile::require(std::string_view name, DType dtype, int rank) const {
  const Tensor* t = find(name);
  if (t == nullptr)
    return make_error(ErrorCode::not_found, path() + ": no tensor '" + std::string(name) +
                                                "' in this '" + kind() + "' model file");
  if (t->dtype != dtype)
    return make_error(ErrorCode::invalid_data, path() + ": tensor '" + t->name + "' is " +
                                                   to_string(t->dtype) + ", expected " +
                                                   to_string(dtype));
  if (rank >= 0 && t->shape.size() != static_cast<std::size_t>(rank))
    return make_error(ErrorCode::invalid_data, path() + ": tensor '" + t->name + "' has rank " +
                                                   std::to_string(t->shape.size()) + ", expected " +
                                                   std::to_string(rank));
  return t;
}

} // namespace supportnlp::io
