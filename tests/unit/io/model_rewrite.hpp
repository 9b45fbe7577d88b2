#pragma once
// Rewriting a valid model file the way a buggy writer or a hostile user
// would, with every checksum recomputed, so a test reaches the loader behind
// the container's checks: change a metadata field, drop a tensor, or change a
// tensor's values or its i8 scale. Shared by the *_validation_test.cpp files
// of every module.

#include "io_test_util.hpp"

#include "supportnlp/io/model_file.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace snlp_test {

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// A temporary file path unique to this process, removed by the destructor.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& name)
      : path("/tmp/snlp_" + name + "_" + std::to_string(::getpid()) + ".snlp") {}
  ~TempFile() { std::remove(path.c_str()); }
};

/// What to change; unset members leave that part as it is.
struct Rewrite {
  std::function<void(nlohmann::json&)> metadata; ///< edits the metadata object
  std::string drop;                              ///< a tensor to leave out
  std::string tensor;                            ///< the tensor `values` edits
  std::function<void(std::string&)> values;      ///< edits that tensor's bytes
};

/// The file `bytes` rebuilt with the change, through ModelWriter (so it is a
/// well-formed container with valid checksums). Throws std::runtime_error if
/// the input does not open or the writer refuses the result.
inline std::string rewrite(const std::string& bytes, const Rewrite& r) {
  auto file = supportnlp::io::ModelFile::from_bytes(bytes);
  if (!file) throw std::runtime_error("rewrite: " + file.error().message);
  supportnlp::io::ModelWriter w(file->kind());
  nlohmann::json meta = nlohmann::json::parse(file->metadata());
  if (r.metadata) r.metadata(meta);
  w.set_metadata(meta.dump());
  bool found = r.tensor.empty();
  for (const auto& t : file->tensors()) {
    if (t.name == r.drop) continue;
    std::string data(static_cast<const char*>(t.data), t.bytes);
    if (t.name == r.tensor) {
      r.values(data);
      found = true;
    }
    w.add_tensor(t.name, t.dtype, t.shape, data.data(), data.size(), t.scale);
  }
  if (!found) throw std::runtime_error("rewrite: no tensor '" + r.tensor + "'");
  auto out = w.serialize();
  if (!out) throw std::runtime_error("rewrite: " + out.error().message);
  return out.value();
}

/// Sets f32 element `index` of tensor `name` to `value`.
inline std::string with_f32(const std::string& bytes, const std::string& name, std::size_t index,
                            float value) {
  Rewrite r;
  r.tensor = name;
  r.values = [&](std::string& data) {
    if ((index + 1) * sizeof(float) > data.size()) throw std::runtime_error("index out of range");
    std::memcpy(&data[index * sizeof(float)], &value, sizeof value);
  };
  return rewrite(bytes, r);
}

/// Replaces the metadata field at `path` ("features/char_min_n": nested keys
/// separated by '/') with `value`.
inline std::string with_field(const std::string& bytes, const std::string& path,
                              nlohmann::json value) {
  Rewrite r;
  r.metadata = [&](nlohmann::json& m) { m[nlohmann::json::json_pointer("/" + path)] = value; };
  return rewrite(bytes, r);
}

/// Without tensor `name`.
inline std::string without(const std::string& bytes, const std::string& name) {
  Rewrite r;
  r.drop = name;
  return rewrite(bytes, r);
}

/// Patches the container `scale` of tensor `name` in place and re-seals the
/// checksums (ModelWriter itself refuses a bad i8 scale).
inline std::string with_scale(std::string bytes, const std::string& name, float scale) {
  const Layout l = layout(bytes);
  for (std::uint32_t i = 0; i < l.tensor_count; ++i) {
    const std::uint64_t at = entry_at(bytes, i);
    const unsigned rank = static_cast<unsigned char>(bytes[at + 5]);
    const std::size_t name_len = static_cast<unsigned char>(bytes[at + 6]) |
                                 (static_cast<unsigned char>(bytes[at + 7]) << 8);
    if (bytes.compare(at + 32 + 8 * rank, name_len, name) != 0 || name_len != name.size()) continue;
    std::uint32_t bits;
    std::memcpy(&bits, &scale, sizeof bits);
    put_u32(bytes, at + 8, bits);
    reseal(bytes);
    return bytes;
  }
  throw std::runtime_error("with_scale: no tensor '" + name + "'");
}

/// The metadata field paths (nested objects walked, '/'-separated) of a file.
inline std::vector<std::string> field_paths(const std::string& bytes) {
  auto file = supportnlp::io::ModelFile::from_bytes(bytes);
  std::vector<std::string> out;
  std::function<void(const nlohmann::json&, const std::string&)> walk =
      [&](const nlohmann::json& j, const std::string& prefix) {
        for (auto it = j.begin(); it != j.end(); ++it) {
          const std::string p = prefix + it.key();
          out.push_back(p);
          if (it->is_object()) walk(*it, p + "/");
        }
      };
  walk(nlohmann::json::parse(file->metadata()), "");
  return out;
}

/// The hostile values a metadata field is set to in turn: wrong types, null,
/// negative, huge, zero.
inline std::vector<nlohmann::json> hostile_values() {
  return {nlohmann::json("text"),
          nlohmann::json(nullptr),
          nlohmann::json(-1),
          nlohmann::json(0),
          nlohmann::json(9e18),
          nlohmann::json(1e300),
          nlohmann::json(std::numeric_limits<std::int64_t>::min()),
          nlohmann::json(std::numeric_limits<std::uint64_t>::max()),
          nlohmann::json(true),
          nlohmann::json::array(),
          nlohmann::json::object(),
          nlohmann::json::array({"", ""})};
}

} // namespace snlp_test
