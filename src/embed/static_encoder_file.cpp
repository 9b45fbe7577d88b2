// StaticEncoder model files: kind "encoder", tensors "keys" (u64 feature key
// of each row), "weights" (i8 rows with "row_scale", or f32 rows) and an
// optional "principal_component" (f32, dim). The SIF weights are folded into
// the rows. Metadata names the feature settings the model needs.
#include "embed/static_encoder_impl.hpp"
#include "io/checked_fields.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace supportnlp::embed {
namespace {

constexpr const char* kKind = "encoder";

Error corrupt(const std::string& path, const std::string& what) {
  return make_error(ErrorCode::corrupt, path + ": " + what);
}

Result<void> fill(io::ModelFile file, StaticEncoder::Impl& m) {
  const std::string& path = file.path();
  auto parsed = io::detail::parse_metadata(file);
  if (!parsed) return parsed.error();
  const nlohmann::json& meta = parsed.value();
  // Checked reads: a field of the wrong type or range is refused by name
  // (value(key, default) would throw on a wrong type).
  io::detail::FieldReader r(meta, path);
  const std::string encoder = r.string("encoder", false, "");
  if (!r.ok() || encoder != "static")
    return make_error(ErrorCode::wrong_kind,
                      path + ": not a static encoder (metadata \"encoder\" is " +
                          (meta.contains("encoder") ? meta["encoder"].dump() : "missing") + ")");
  const auto f = r.object("features");
  const std::string extractor = f.string("extractor", false, "");
  if (r.ok() && extractor != "ngrams-1")
    return make_error(ErrorCode::unsupported_version,
                      path + ": feature extractor \"" + extractor +
                          "\" is not supported by this library (it reads \"ngrams-1\")");
  FeatureConfig c;
  c.word_ngrams = f.integer<int>("word_ngrams", 1, 2);
  c.char_ngram_min = f.integer<int>("char_ngram_min", 0, 16);
  c.char_ngram_max = f.integer<int>("char_ngram_max", 0, 16);
  c.buckets = f.integer<std::uint32_t>("buckets", 1, 1u << 31);
  c.seed = f.integer<std::uint32_t>("seed", 0, 0xFFFFFFFFu);
  if (r.ok() && c.char_ngram_max < c.char_ngram_min)
    f.fail("char_ngram_min", "is " + std::to_string(c.char_ngram_min) + ", above char_ngram_max " +
                                 std::to_string(c.char_ngram_max));
  // Written by every encoder file; checked against the tensors below.
  const std::int64_t meta_dim = r.integer<std::int64_t>("dim", 1, 65536, -1);
  const std::int64_t meta_rows =
      r.integer<std::int64_t>("rows", 1, (std::int64_t(1) << 31) - 1, -1);
  const std::string meta_storage = r.string("storage", false, "");
  if (r.ok() && !meta_storage.empty() && meta_storage != "i8" && meta_storage != "f32")
    r.fail("storage", "is \"" + meta_storage + "\", expected \"i8\" or \"f32\"");
  if (!r.ok()) return r.error();
  m.set_config(c);

  // A tensor of another name is damage (e.g. a renamed principal_component,
  // which would otherwise be dropped silently as optional).
  for (const io::Tensor& t : file.tensors())
    if (t.name != "keys" && t.name != "weights" && t.name != "row_scale" &&
        t.name != "principal_component")
      return corrupt(path, "unknown tensor '" + t.name + "' in an encoder file");
  auto keys = file.require("keys", io::DType::u64, 1);
  if (!keys) return keys.error();
  const std::int64_t rows = (*keys)->shape[0];
  const io::Tensor* weights = file.find("weights");
  if (!weights || weights->shape.size() != 2 || weights->shape[0] != rows)
    return corrupt(path, "tensor \"weights\" missing or not rows x dim");
  const std::int64_t dim = weights->shape[1];
  if (dim < 1 || dim > 65536 || rows < 1 || rows > (std::int64_t(1) << 31) - 1)
    return corrupt(path, "implausible encoder shape " + std::to_string(rows) + " x " +
                             std::to_string(dim));
  if ((meta_dim >= 0 && meta_dim != dim) || (meta_rows >= 0 && meta_rows != rows))
    return corrupt(path, "metadata fields 'rows' x 'dim' (" + std::to_string(meta_rows) + " x " +
                             std::to_string(meta_dim) + ") do not match tensor 'weights' (" +
                             std::to_string(rows) + " x " + std::to_string(dim) + ")");
  if (!meta_storage.empty() && meta_storage != io::to_string(weights->dtype))
    return corrupt(path, "metadata field 'storage' is \"" + meta_storage +
                             "\" but tensor 'weights' is " + io::to_string(weights->dtype));
  m.rows = static_cast<int>(rows);
  m.dim = static_cast<int>(dim);
  if (weights->dtype == io::DType::f32) {
    if (auto ok = io::detail::check_trained(file, *weights); !ok) return ok.error();
    m.f32 = weights->as<float>();
  } else if (weights->dtype == io::DType::i8) {
    auto scale = file.require("row_scale", io::DType::f32, 1);
    if (!scale) return scale.error();
    if ((*scale)->shape[0] != rows) return corrupt(path, "\"row_scale\" has the wrong length");
    m.i8 = weights->as<std::int8_t>();
    m.row_scale = (*scale)->as<float>();
    // The writer gives an all-zero row the scale 1: every scale is positive.
    if (auto ok = io::detail::check_trained(file, **scale, 0.0f, true); !ok) return ok.error();
  } else {
    return corrupt(path, std::string("\"weights\" has unsupported type ") +
                             io::to_string(weights->dtype));
  }
  if (const io::Tensor* pc = file.find("principal_component")) {
    if (pc->dtype != io::DType::f32 || pc->elements() != dim)
      return corrupt(path, "\"principal_component\" is not f32 of length dim");
    if (auto ok = io::detail::check_trained(file, *pc); !ok) return ok.error();
    m.principal_component.assign(pc->as<float>(), pc->as<float>() + dim);
  }
  m.keys.assign((*keys)->as<std::uint64_t>(), (*keys)->as<std::uint64_t>() + rows);
  std::unordered_set<std::uint64_t> seen(m.keys.begin(), m.keys.end());
  if (seen.size() != m.keys.size()) return corrupt(path, "duplicate feature keys");
  m.metadata = file.metadata();
  m.file = std::move(file);
  m.build_table();
  m.compute_fingerprint();
  return {};
}

} // namespace

Result<StaticEncoder> StaticEncoder::load(const std::string& path) {
  auto file = io::ModelFile::open(path, kKind);
  if (!file) return file.error();
  auto impl = std::make_shared<Impl>();
  if (auto r = fill(std::move(file.value()), *impl); !r) return r.error();
  return StaticEncoder(std::move(impl));
}

Result<StaticEncoder> StaticEncoder::from_bytes(std::string_view bytes, std::string_view name) {
  auto file = io::ModelFile::from_bytes(bytes, kKind, name);
  if (!file) return file.error();
  auto impl = std::make_shared<Impl>();
  if (auto r = fill(std::move(file.value()), *impl); !r) return r.error();
  return StaticEncoder(std::move(impl));
}

namespace {

io::ModelWriter make_writer(const StaticEncoder::Impl& m, WeightStorage storage) {
  auto meta = nlohmann::json::parse(m.metadata, nullptr, false);
  if (meta.is_discarded() || !meta.is_object()) meta = nlohmann::json::object();
  meta["encoder"] = "static";
  meta["dim"] = m.dim;
  meta["rows"] = m.rows;
  meta["features"] = {{"extractor", "ngrams-1"},
                      {"word_ngrams", m.config.word_ngrams},
                      {"char_ngram_min", m.config.char_ngram_min},
                      {"char_ngram_max", m.config.char_ngram_max},
                      {"buckets", m.config.buckets},
                      {"seed", m.config.seed}};
  meta["storage"] = storage == WeightStorage::i8 ? "i8" : "f32";

  const std::size_t d = static_cast<std::size_t>(m.dim);
  const std::size_t n = static_cast<std::size_t>(m.rows) * d;
  // Dequantized view of row r, whichever way this encoder holds its weights.
  auto value = [&](std::size_t r, std::size_t j) {
    return m.f32 ? m.f32[r * d + j] : m.row_scale[r] * static_cast<float>(m.i8[r * d + j]);
  };
  io::ModelWriter writer(kKind);
  writer.set_metadata(meta.dump());
  writer.add_tensor("keys", io::DType::u64, {m.rows}, m.keys.data(),
                    m.keys.size() * sizeof(std::uint64_t));
  if (storage == WeightStorage::f32) {
    std::vector<float> w(n);
    for (std::size_t r = 0; r < static_cast<std::size_t>(m.rows); ++r)
      for (std::size_t j = 0; j < d; ++j)
        w[r * d + j] = value(r, j);
    writer.add_tensor("weights", io::DType::f32, {m.rows, m.dim}, w.data(), n * sizeof(float));
  } else {
    std::vector<std::int8_t> q(n);
    std::vector<float> scale(static_cast<std::size_t>(m.rows));
    for (std::size_t r = 0; r < scale.size(); ++r) {
      if (m.i8) { // already quantized: keep it bit-exact
        std::copy(m.i8 + r * d, m.i8 + (r + 1) * d, q.begin() + r * d);
        scale[r] = m.row_scale[r];
        continue;
      }
      float peak = 0.0f;
      for (std::size_t j = 0; j < d; ++j)
        peak = std::max(peak, std::fabs(value(r, j)));
      scale[r] = peak > 0.0f ? peak / 127.0f : 1.0f;
      for (std::size_t j = 0; j < d; ++j)
        q[r * d + j] = static_cast<std::int8_t>(std::lround(value(r, j) / scale[r]));
    }
    writer.add_tensor("weights", io::DType::i8, {m.rows, m.dim}, q.data(), n);
    writer.add_tensor("row_scale", io::DType::f32, {m.rows}, scale.data(),
                      scale.size() * sizeof(float));
  }
  if (!m.principal_component.empty())
    writer.add_tensor("principal_component", io::DType::f32, {m.dim}, m.principal_component.data(),
                      d * sizeof(float));
  return writer;
}

} // namespace

Result<std::string> StaticEncoder::serialize(WeightStorage storage) const {
  return make_writer(*impl_, storage).serialize();
}

Result<void> StaticEncoder::save(const std::string& path, WeightStorage storage) const {
  return make_writer(*impl_, storage).save(path);
}

} // namespace supportnlp::embed
