// safetensors reader: header validation and float32 views (safetensors.hpp).
#include "embed/transformer/safetensors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace supportnlp::embed::transformer {
namespace {

// The format's dtypes and their sizes in bytes.
std::size_t dtype_size(const std::string& dtype) {
  static const std::pair<const char*, std::size_t> sizes[] = {
      {"F64", 8}, {"F32", 4}, {"F16", 2},  {"BF16", 2},    {"I64", 8},
      {"I32", 4}, {"I16", 2}, {"I8", 1},   {"U64", 8},     {"U32", 4},
      {"U16", 2}, {"U8", 1},  {"BOOL", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1}};
  for (const auto& [name, size] : sizes)
    if (dtype == name) return size;
  return 0;
}

// Header larger than this is not a checkpoint (the reference implementation
// caps it at 100 MB too).
constexpr std::uint64_t kMaxHeader = 100u << 20;

Error corrupt(const std::string& path, const std::string& what) {
  return make_error(ErrorCode::corrupt, path + ": " + what);
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t exp = (h >> 10) & 0x1fu;
  std::uint32_t mant = h & 0x3ffu;
  std::uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else { // subnormal: normalise
      exp = 127 - 15 + 1;
      while ((mant & 0x400u) == 0) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3ffu;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

} // namespace

std::string shape_string(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

Result<SafeTensors> SafeTensors::open(const std::string& path) {
  auto bytes = io::MappedBytes::map_file(path);
  if (!bytes) return bytes.error();
  return parse(std::move(bytes).value(), path);
}

Result<SafeTensors> SafeTensors::from_bytes(std::string_view bytes, const std::string& name) {
  auto copy = io::MappedBytes::copy(bytes);
  if (!copy) return make_error(ErrorCode::io_error, name + ": out of memory");
  return parse(std::move(copy), name);
}

Result<SafeTensors> SafeTensors::parse(std::shared_ptr<const io::MappedBytes> bytes,
                                       std::string path) {
  const std::size_t size = bytes->size();
  if (size < 8)
    return make_error(ErrorCode::truncated,
                      path + ": " + std::to_string(size) +
                          " bytes, shorter than the 8-byte header length of a safetensors file");
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i)
    n = n << 8 | bytes->data()[i];
  if (n > kMaxHeader)
    return corrupt(path, "header length " + std::to_string(n) + " is not plausible");
  if (n > size - 8)
    return make_error(ErrorCode::truncated, path + ": header of " + std::to_string(n) +
                                                " bytes runs past the end of the file (" +
                                                std::to_string(size) + " bytes)");
  const char* text = reinterpret_cast<const char*>(bytes->data() + 8);
  nlohmann::json header = nlohmann::json::parse(text, text + n, nullptr, false);
  if (header.is_discarded() || !header.is_object())
    return corrupt(path, "header is not a JSON object");

  SafeTensors st;
  st.path_ = path;
  st.header_size_ = static_cast<std::size_t>(n);
  const std::size_t data_size = size - 8 - static_cast<std::size_t>(n);
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) return corrupt(path, "__metadata__ is not a JSON object");
      continue;
    }
    const std::string where = "tensor '" + name + "': ";
    if (!entry.is_object()) return corrupt(path, where + "entry is not a JSON object");
    TensorInfo t;
    t.name = name;
    const auto dtype = entry.find("dtype");
    if (dtype == entry.end() || !dtype->is_string())
      return corrupt(path, where + "field 'dtype' is missing or not a string");
    t.dtype = dtype->get<std::string>();
    const std::size_t esize = dtype_size(t.dtype);
    if (esize == 0) return corrupt(path, where + "unknown dtype '" + t.dtype + "'");
    const auto shape = entry.find("shape");
    if (shape == entry.end() || !shape->is_array())
      return corrupt(path, where + "field 'shape' is missing or not an array");
    std::uint64_t count = 1;
    for (const auto& d : *shape) {
      if (!d.is_number_unsigned())
        return corrupt(path,
                       where + "field 'shape' holds a value that is not a non-negative integer");
      const auto v = d.get<std::uint64_t>();
      if (v > (std::uint64_t{1} << 40) || (v != 0 && count > (std::uint64_t{1} << 40) / v))
        return corrupt(path, where + "shape is implausibly large");
      count *= v;
      t.shape.push_back(static_cast<std::int64_t>(v));
    }
    const auto offsets = entry.find("data_offsets");
    if (offsets == entry.end() || !offsets->is_array() || offsets->size() != 2 ||
        !(*offsets)[0].is_number_unsigned() || !(*offsets)[1].is_number_unsigned())
      return corrupt(path, where + "field 'data_offsets' is not two non-negative integers");
    const auto begin = (*offsets)[0].get<std::uint64_t>();
    const auto end = (*offsets)[1].get<std::uint64_t>();
    if (begin > end) return corrupt(path, where + "data_offsets begin after they end");
    if (end > data_size)
      return make_error(ErrorCode::truncated,
                        path + ": " + where + "data_offsets [" + std::to_string(begin) + ", " +
                            std::to_string(end) + "] run past the end of the data (" +
                            std::to_string(data_size) + " bytes)");
    if (end - begin != count * esize)
      return corrupt(path, where + "shape " + shape_string(t.shape) + " of " + t.dtype + " needs " +
                               std::to_string(count * esize) + " bytes, data_offsets give " +
                               std::to_string(end - begin));
    t.begin = static_cast<std::size_t>(begin);
    t.end = static_cast<std::size_t>(end);
    st.tensors_.push_back(std::move(t));
  }
  std::sort(st.tensors_.begin(), st.tensors_.end(),
            [](const TensorInfo& a, const TensorInfo& b) { return a.begin < b.begin; });
  for (std::size_t i = 1; i < st.tensors_.size(); ++i)
    if (st.tensors_[i].begin < st.tensors_[i - 1].end)
      return corrupt(path, "tensors '" + st.tensors_[i - 1].name + "' and '" + st.tensors_[i].name +
                               "' overlap");
  std::sort(st.tensors_.begin(), st.tensors_.end(),
            [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
  st.bytes_ = std::move(bytes);
  return st;
}

const TensorInfo* SafeTensors::find(std::string_view name) const noexcept {
  auto it = std::lower_bound(tensors_.begin(), tensors_.end(), name,
                             [](const TensorInfo& t, std::string_view n) { return t.name < n; });
  return it != tensors_.end() && it->name == name ? &*it : nullptr;
}

std::string_view SafeTensors::header() const noexcept {
  return {reinterpret_cast<const char*>(bytes_->data() + 8), header_size_};
}
const unsigned char* SafeTensors::data() const noexcept {
  return bytes_->data() + 8 + header_size_;
}
std::size_t SafeTensors::data_size() const noexcept {
  return bytes_->size() - 8 - header_size_;
}

Result<FloatTensor> SafeTensors::floats(const std::string& name,
                                        const std::vector<std::int64_t>& shape) const {
  const TensorInfo* t = find(name);
  if (t == nullptr)
    return make_error(ErrorCode::not_found, path_ + ": tensor '" + name + "' is missing");
  if (t->shape != shape)
    return corrupt(path_, "tensor '" + name + "' has shape " + shape_string(t->shape) +
                              ", config.json implies " + shape_string(shape));
  const unsigned char* src = data() + t->begin;
  FloatTensor out;
  out.size = t->dtype == "F32" ? (t->end - t->begin) / 4 : (t->end - t->begin) / 2;
  if (t->dtype == "F32" && reinterpret_cast<std::uintptr_t>(src) % alignof(float) == 0) {
    out.data = reinterpret_cast<const float*>(src);
  } else if (t->dtype == "F32" || t->dtype == "F16" || t->dtype == "BF16") {
    auto owned = std::make_shared<std::vector<float>>(out.size);
    for (std::size_t i = 0; i < out.size; ++i) {
      if (t->dtype == "F32") {
        std::memcpy(&(*owned)[i], src + 4 * i, 4);
      } else {
        const auto h = static_cast<std::uint16_t>(src[2 * i] | src[2 * i + 1] << 8);
        if (t->dtype == "F16") {
          (*owned)[i] = half_to_float(h);
        } else {
          const std::uint32_t bits = static_cast<std::uint32_t>(h) << 16;
          std::memcpy(&(*owned)[i], &bits, 4);
        }
      }
    }
    out.data = owned->data();
    out.owned = std::move(owned);
  } else {
    return make_error(ErrorCode::invalid_data, path_ + ": tensor '" + name + "' is " + t->dtype +
                                                   "; F32, F16 or BF16 is required");
  }
  for (std::size_t i = 0; i < out.size; ++i)
    if (!std::isfinite(out.data[i]))
      return make_error(ErrorCode::invalid_data, path_ + ": tensor '" + name + "' holds a " +
                                                     "NaN or infinite value at index " +
                                                     std::to_string(i));
  return out;
}

} // namespace supportnlp::embed::transformer
