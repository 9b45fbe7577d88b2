#pragma once
// Structure-aware mutation of .snlp model files (docs/model-format.md).
//
// Random byte flips almost never get past the container's CRCs, so on their
// own they never reach the loaders behind them. This mutator parses the
// container, changes something *inside* it - a metadata value (wrong type,
// null, negative, huge, an emptied or duplicated label table), a tensor's
// values (NaN, Inf, huge or negative integers, an i8 scale of 0 or -1), a
// shape (with the data resized to match, so the container still accepts it),
// a dtype, a missing or renamed tensor, or a raw header / directory field
// (sizes, offsets, counts) - and then recomputes every checksum, so the
// result reaches the model kind's own validation. Inputs it cannot parse get
// libFuzzer's ordinary byte mutations, checksums fixed up where possible.
//
// A harness opts in with SUPPORTNLP_FUZZ_MODEL_MUTATOR(); the replay program
// (which has no libFuzzer) compiles the macro away.

#include "supportnlp/io/model_file.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace supportnlp::fuzz {

struct ParsedTensor {
  std::uint8_t dtype = 4;
  float scale = 1.0f;
  std::vector<std::uint64_t> shape;
  std::string name;
  std::string data;
};

struct ParsedModel {
  std::string kind;
  std::string metadata;
  std::vector<ParsedTensor> tensors;
};

template <class T> T load_le(const std::string& b, std::size_t at) {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    v |= static_cast<T>(static_cast<T>(static_cast<std::uint8_t>(b[at + i])) << (8 * i));
  return v;
}
template <class T> void store_le(std::string& b, std::size_t at, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    b[at + i] = static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF);
}
inline float load_f32(const std::string& b, std::size_t at) {
  const std::uint32_t u = load_le<std::uint32_t>(b, at);
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
inline void store_f32(std::string& b, std::size_t at, float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  store_le(b, at, u);
}

/// Parses a container loosely (checksums and most rules are not checked):
/// enough to find its parts again after a mutation.
inline std::optional<ParsedModel> parse_model(const std::string& b) {
  if (b.size() < 64 || std::memcmp(b.data(), "SNLPMDL", 8) != 0) return std::nullopt;
  const std::uint64_t header = load_le<std::uint32_t>(b, 12);
  const std::uint64_t kind_len = load_le<std::uint32_t>(b, 32);
  const std::uint64_t meta_len = load_le<std::uint32_t>(b, 36);
  const std::uint64_t count = load_le<std::uint32_t>(b, 40);
  const std::uint64_t dir_len = load_le<std::uint32_t>(b, 44);
  if (header < 64 || header + kind_len + meta_len + dir_len > b.size() || count > dir_len / 32)
    return std::nullopt;
  ParsedModel m;
  m.kind = b.substr(header, kind_len);
  m.metadata = b.substr(header + kind_len, meta_len);
  std::size_t at = header + kind_len + meta_len;
  const std::size_t end = at + dir_len;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (at + 32 > end) return std::nullopt;
    ParsedTensor t;
    const std::uint64_t entry_len = load_le<std::uint32_t>(b, at);
    t.dtype = static_cast<std::uint8_t>(b[at + 4]);
    const std::uint64_t rank = static_cast<std::uint8_t>(b[at + 5]);
    const std::uint64_t name_len = load_le<std::uint16_t>(b, at + 6);
    t.scale = load_f32(b, at + 8);
    const std::uint64_t offset = load_le<std::uint64_t>(b, at + 16);
    const std::uint64_t size = load_le<std::uint64_t>(b, at + 24);
    if (entry_len < 32 + 8 * rank + name_len || at + entry_len > end) return std::nullopt;
    for (std::uint64_t d = 0; d < rank; ++d)
      t.shape.push_back(load_le<std::uint64_t>(b, at + 32 + 8 * d));
    t.name = b.substr(at + 32 + 8 * rank, name_len);
    if (offset > b.size() || size > b.size() - offset) return std::nullopt;
    t.data = b.substr(offset, size);
    m.tensors.push_back(std::move(t));
    at += entry_len;
  }
  return m;
}

/// Lays a parsed model out as the 1.0 writer does, checksums included.
inline std::string serialize_model(const ParsedModel& m) {
  std::string dir;
  for (const auto& t : m.tensors) {
    std::string e(32 + 8 * t.shape.size() + t.name.size(), '\0');
    store_le<std::uint32_t>(e, 0, static_cast<std::uint32_t>(e.size()));
    e[4] = static_cast<char>(t.dtype);
    e[5] = static_cast<char>(t.shape.size());
    store_le<std::uint16_t>(e, 6, static_cast<std::uint16_t>(t.name.size()));
    store_f32(e, 8, t.scale);
    store_le<std::uint32_t>(e, 12, io::crc32(t.data.data(), t.data.size()));
    store_le<std::uint64_t>(e, 24, t.data.size());
    for (std::size_t d = 0; d < t.shape.size(); ++d)
      store_le<std::uint64_t>(e, 32 + 8 * d, t.shape[d]);
    std::memcpy(&e[32 + 8 * t.shape.size()], t.name.data(), t.name.size());
    dir += e;
  }
  auto align = [](std::uint64_t x) { return (x + 63) / 64 * 64; };
  std::string b(64, '\0');
  b += m.kind;
  b += m.metadata;
  const std::size_t dir_at = b.size();
  b += dir;
  const std::uint64_t data_offset = align(b.size());
  b.resize(data_offset, '\0');
  std::size_t entry = dir_at;
  for (const auto& t : m.tensors) {
    const std::uint64_t at = align(b.size());
    b.resize(at, '\0');
    b += t.data;
    store_le<std::uint64_t>(b, entry + 16, at);
    entry += load_le<std::uint32_t>(b, entry);
  }
  std::memcpy(&b[0], "SNLPMDL", 8);
  store_le<std::uint16_t>(b, 8, io::kFormatMajor);
  store_le<std::uint16_t>(b, 10, io::kFormatMinor);
  store_le<std::uint32_t>(b, 12, 64);
  store_le<std::uint64_t>(b, 16, b.size());
  store_le<std::uint64_t>(b, 24, data_offset);
  store_le<std::uint32_t>(b, 32, static_cast<std::uint32_t>(m.kind.size()));
  store_le<std::uint32_t>(b, 36, static_cast<std::uint32_t>(m.metadata.size()));
  store_le<std::uint32_t>(b, 40, static_cast<std::uint32_t>(m.tensors.size()));
  store_le<std::uint32_t>(b, 44, static_cast<std::uint32_t>(dir.size()));
  return b;
}

/// Recomputes every checksum of `b` whose section lies within the bytes,
/// leaving all other fields as they are (they may have been mutated).
inline void fix_checksums(std::string& b) {
  if (b.size() < 64) return;
  const std::uint64_t header = load_le<std::uint32_t>(b, 12);
  const std::uint64_t kind_len = load_le<std::uint32_t>(b, 32);
  const std::uint64_t meta_len = load_le<std::uint32_t>(b, 36);
  const std::uint64_t count = load_le<std::uint32_t>(b, 40);
  const std::uint64_t dir_len = load_le<std::uint32_t>(b, 44);
  if (header >= 64 && header + kind_len + meta_len + dir_len <= b.size()) {
    const std::size_t meta_at = header + kind_len, dir_at = meta_at + meta_len;
    // Tensor CRCs first: they live inside the directory.
    std::size_t at = dir_at;
    for (std::uint64_t i = 0; i < count && at + 32 <= dir_at + dir_len; ++i) {
      const std::uint64_t entry_len = load_le<std::uint32_t>(b, at);
      const std::uint64_t offset = load_le<std::uint64_t>(b, at + 16);
      const std::uint64_t size = load_le<std::uint64_t>(b, at + 24);
      if (offset <= b.size() && size <= b.size() - offset)
        store_le<std::uint32_t>(b, at + 12, io::crc32(b.data() + offset, size));
      if (entry_len < 32) break;
      at += entry_len;
    }
    std::uint32_t crc = io::crc32(b.data() + header, kind_len);
    store_le<std::uint32_t>(b, 48, io::crc32(b.data() + dir_at, dir_len, crc));
    store_le<std::uint32_t>(b, 52, io::crc32(b.data() + meta_at, meta_len));
  }
  store_le<std::uint32_t>(b, 60, io::crc32(b.data(), 60));
}

class ModelMutator {
public:
  explicit ModelMutator(unsigned seed) : rng_(seed) {}

  /// Returns the mutated file (checksums fixed).
  std::string mutate(std::string bytes, std::size_t max_size) {
    auto parsed = parse_model(bytes);
    if (!parsed || pick(10) == 0) return raw(std::move(bytes), max_size);
    switch (pick(8)) {
    case 0:
    case 1:
      mutate_metadata_value(*parsed);
      break;
    case 2:
      mutate_metadata_bytes(*parsed);
      break;
    case 3:
      mutate_tensor_values(*parsed);
      break;
    case 4:
      mutate_shape(*parsed);
      break;
    case 5:
      mutate_tensor_table(*parsed);
      break;
    case 6: {
      std::string b = serialize_model(*parsed);
      poke_field(b);
      fix_checksums(b);
      return b;
    }
    default:
      mutate_tensor_bytes(*parsed);
      break;
    }
    return serialize_model(*parsed);
  }

private:
  std::minstd_rand rng_;
  std::size_t pick(std::size_t n) { return n == 0 ? 0 : rng_() % n; }

  std::string raw(std::string b, std::size_t max_size) {
    const std::size_t old = b.size();
    b.resize(std::max(old, max_size));
    b.resize(LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(b.data()), old, b.size()));
    if (pick(4) != 0) fix_checksums(b);
    return b;
  }

  nlohmann::json odd_value() {
    switch (pick(16)) {
    case 0:
      return nullptr;
    case 1:
      return "x";
    case 2:
      return "";
    case 3:
      return -1;
    case 4:
      return 0;
    case 5:
      return 9e18;
    case 6:
      return std::numeric_limits<std::int64_t>::max();
    case 7:
      return std::numeric_limits<std::uint64_t>::max();
    case 8:
      return 1e308;
    case 9:
      return -1e308;
    case 10:
      return true;
    case 11:
      return nlohmann::json::array();
    case 12:
      return nlohmann::json::object();
    case 13:
      return 4294967297.0;
    case 14:
      return -2147483649LL;
    default:
      return 0.5;
    }
  }

  // Collects pointers to every value of the document.
  static void collect(nlohmann::json& j, std::vector<nlohmann::json*>& out) {
    out.push_back(&j);
    if (j.is_object())
      for (auto& [k, v] : j.items())
        collect(v, out);
    else if (j.is_array())
      for (auto& v : j)
        collect(v, out);
  }

  void mutate_metadata_value(ParsedModel& m) {
    nlohmann::json doc = nlohmann::json::parse(m.metadata, nullptr, false);
    if (doc.is_discarded()) return mutate_metadata_bytes(m);
    std::vector<nlohmann::json*> values;
    collect(doc, values);
    nlohmann::json& v = *values[pick(values.size())];
    if (v.is_array() && !v.empty() && pick(2) == 0) {
      switch (pick(5)) { // label tables and other lists
      case 0:
        v.push_back(v[pick(v.size())]);
        break; // duplicate an entry
      case 1:
        v.erase(v.begin() + pick(v.size()));
        break; // drop one
      case 2:
        v[pick(v.size())] = "";
        break; // empty label
      case 3:
        v = nlohmann::json::array();
        break; // empty table
      default:
        std::swap(v[0], v[pick(v.size())]);
        break; // reorder
      }
    } else if (v.is_object() && !v.empty() && pick(2) == 0) {
      auto it = v.begin();
      std::advance(it, pick(v.size()));
      v.erase(it.key()); // a missing field
    } else if (v.is_number() && pick(2) == 0) {
      const double x = v.get<double>();
      const double f[] = {-1, 2, 0.5, 1e6, -1e6};
      const double y = x * f[pick(5)];
      // Integers stay integers (clamped: the cast of an out-of-range double is UB).
      v = v.is_number_integer() && std::fabs(y) < 9e18
              ? nlohmann::json(static_cast<std::int64_t>(y) + 1)
              : nlohmann::json(y);
    } else {
      v = odd_value();
    }
    m.metadata = doc.dump();
  }

  void mutate_metadata_bytes(ParsedModel& m) {
    std::string s = m.metadata;
    const std::size_t old = s.size();
    s.resize(old + 64);
    s.resize(LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(s.data()), old, s.size()));
    m.metadata = s;
  }

  ParsedTensor* some_tensor(ParsedModel& m) {
    return m.tensors.empty() ? nullptr : &m.tensors[pick(m.tensors.size())];
  }

  void mutate_tensor_values(ParsedModel& m) {
    ParsedTensor* t = some_tensor(m);
    if (!t) return;
    if (t->dtype == 3 && pick(2) == 0) { // i8 scale
      const float scales[] = {0.0f,
                              -1.0f,
                              std::numeric_limits<float>::quiet_NaN(),
                              std::numeric_limits<float>::infinity(),
                              1e30f,
                              1e-30f};
      t->scale = scales[pick(6)];
      return;
    }
    const std::size_t width = t->dtype == 1 || t->dtype == 5 || t->dtype == 6 ? 4
                              : t->dtype == 7                                 ? 8
                              : t->dtype == 2                                 ? 2
                                                                              : 1;
    if (t->data.size() < width) return;
    const std::size_t n = t->data.size() / width;
    for (std::size_t k = 0, times = 1 + pick(3); k < times; ++k) {
      const std::size_t at = pick(n) * width;
      if (t->dtype == 1) {
        const float v[] = {std::numeric_limits<float>::quiet_NaN(),
                           std::numeric_limits<float>::infinity(),
                           -std::numeric_limits<float>::infinity(),
                           3e38f,
                           -1.0f,
                           0.0f,
                           1e-45f};
        store_f32(t->data, at, v[pick(7)]);
      } else if (width == 4) {
        const std::uint32_t v[] = {0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu, 0, 1, 0xFFFFu};
        store_le<std::uint32_t>(t->data, at, v[pick(6)]);
      } else if (width == 8) {
        const std::uint64_t v[] = {~0ull, 1ull << 63, 0, 1, 1ull << 32};
        store_le<std::uint64_t>(t->data, at, v[pick(5)]);
      } else if (width == 2) {
        const std::uint16_t v[] = {0x7E00, 0x7C00, 0xFC00, 0x7BFF};
        store_le<std::uint16_t>(t->data, at, v[pick(4)]);
      } else {
        t->data[at] = static_cast<char>(pick(2) ? 0x80 : rng_());
      }
    }
  }

  void mutate_tensor_bytes(ParsedModel& m) {
    ParsedTensor* t = some_tensor(m);
    if (!t || t->data.empty()) return;
    // A window of at most 4 KiB keeps mutation cheap on big tensors.
    const std::size_t len = std::min<std::size_t>(t->data.size(), 4096);
    const std::size_t at = pick(t->data.size() - len + 1);
    std::string w = t->data.substr(at, len);
    w.resize(len + 16);
    const std::size_t got =
        LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(w.data()), len, pick(4) ? len : w.size());
    w.resize(got);
    if (pick(4) != 0) w.resize(len, '\0'); // usually keep the size, so shape and size still agree
    t->data.replace(at, len, w);
  }

  static std::size_t element_size(std::uint8_t dtype) {
    switch (dtype) {
    case 1:
    case 5:
    case 6:
      return 4;
    case 2:
      return 2;
    case 7:
      return 8;
    default:
      return 1;
    }
  }

  void mutate_shape(ParsedModel& m) {
    ParsedTensor* t = some_tensor(m);
    if (!t) return;
    switch (pick(5)) {
    case 0:
      if (!t->shape.empty()) { // grow or shrink one dimension
        auto& d = t->shape[pick(t->shape.size())];
        const std::uint64_t next[] = {0, 1, d + 1, d > 0 ? d - 1 : 0, d * 2, d / 2};
        d = next[pick(6)];
      }
      break;
    case 1:
      if (t->shape.size() >= 2) std::swap(t->shape[0], t->shape[1]);
      break;
    case 2:
      t->shape.push_back(1 + pick(2)); // extra dimension
      break;
    case 3:
      if (!t->shape.empty()) t->shape.pop_back();
      break;
    default: { // another dtype with the same bytes per element or resized
      const std::uint8_t dtypes[] = {1, 2, 3, 4, 5, 6, 7};
      t->dtype = dtypes[pick(7)];
      t->scale = t->dtype == 3 ? 0.01f : 1.0f;
      break;
    }
    }
    std::uint64_t elements = 1;
    for (auto d : t->shape)
      elements = d > (1u << 24) ? (1u << 24) : elements * d;
    const std::uint64_t bytes =
        std::min<std::uint64_t>(elements * element_size(t->dtype), 1u << 22);
    if (pick(8) != 0) // mostly keep size = shape x dtype, so the container accepts it
      t->data.resize(bytes, '\0');
  }

  void mutate_tensor_table(ParsedModel& m) {
    if (m.tensors.empty()) return;
    const std::size_t i = pick(m.tensors.size());
    switch (pick(4)) {
    case 0:
      m.tensors.erase(m.tensors.begin() + i);
      break; // missing tensor
    case 1:
      m.tensors[i].name += "_";
      break; // renamed
    case 2:
      m.tensors[i].data.clear();
      for (auto& d : m.tensors[i].shape)
        d = 0;
      break;
    default:
      std::swap(m.tensors[i], m.tensors[pick(m.tensors.size())]);
      break;
    }
  }

  void poke_field(std::string& b) {
    // Header fields (offset, width) and directory-entry fields.
    static const std::pair<int, int> header_fields[] = {
        {8, 2}, {10, 2}, {12, 4}, {16, 8}, {24, 8}, {32, 4}, {36, 4}, {40, 4}, {44, 4}, {56, 4}};
    const std::uint64_t values[] = {0,     1,          63,           64,
                                    65,    0x7FFFFFFF, 0xFFFFFFFF,   1ull << 32,
                                    ~0ull, b.size(),   b.size() + 1, b.size() - 1};
    std::size_t at;
    int width;
    const std::uint64_t header = load_le<std::uint32_t>(b, 12);
    const std::size_t dir_at =
        header + load_le<std::uint32_t>(b, 32) + load_le<std::uint32_t>(b, 36);
    const std::uint64_t count = load_le<std::uint32_t>(b, 40);
    if (count > 0 && pick(2) == 0) {
      std::size_t e = dir_at;
      for (std::size_t k = pick(count); k > 0 && e + 32 <= b.size(); --k)
        e += load_le<std::uint32_t>(b, e);
      static const std::pair<int, int> entry_fields[] = {{0, 4},  {4, 1},  {5, 1}, {6, 2},
                                                         {16, 8}, {24, 8}, {32, 8}};
      const auto f = entry_fields[pick(7)];
      at = e + f.first;
      width = f.second;
    } else {
      const auto f = header_fields[pick(10)];
      at = f.first;
      width = f.second;
    }
    if (at + width > b.size()) return;
    std::uint64_t v = values[pick(12)];
    if (pick(3) == 0) { // nudge the current value instead
      std::uint64_t cur = 0;
      for (int i = 0; i < width; ++i)
        cur |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(b[at + i])) << (8 * i);
      v = cur + (pick(2) ? 1 : -1) * static_cast<std::int64_t>(1 + pick(64));
    }
    for (int i = 0; i < width; ++i)
      b[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  }
};

} // namespace supportnlp::fuzz

#ifdef SUPPORTNLP_FUZZ_REPLAY
#define SUPPORTNLP_FUZZ_MODEL_MUTATOR()
#else
/// Defines libFuzzer's custom mutator for a model-file harness.
#define SUPPORTNLP_FUZZ_MODEL_MUTATOR()                                                            \
  extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,             \
                                                 std::size_t max_size, unsigned int seed) {        \
    supportnlp::fuzz::ModelMutator mutator(seed);                                                  \
    std::string out = mutator.mutate(std::string(reinterpret_cast<char*>(data), size), max_size);  \
    if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);                      \
    std::memcpy(data, out.data(), out.size());                                                     \
    return out.size();                                                                             \
  }
#endif
