// DenseIndex: single queries scored block by block with the dense-scan
// kernels of cpu/kernels.hpp (Eigen's matrix-vector product where the level
// has none), batches with the batch-scan kernels (Eigen's matrix-matrix
// product, or the int8 kernels per query, where the level has none), all
// feeding a bounded top-k selection.
#include "supportnlp/search/dense_index.hpp"

#include "cpu/kernels.hpp"
#include "io/checked_fields.hpp"
#include "search/aligned_buffer.hpp"
#include "search/top_k.hpp"
#include "supportnlp/io/model_file.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

namespace supportnlp::search {

namespace {
// Rows scored per block: the score buffer stays in L1/L2 and the heap is fed
// in bursts.
constexpr std::size_t kBlockRows = 4096;
// Rows per block in batched int8 search: the block's codes stay in L2 while
// every query of the batch is scored against them, and the block x queries
// score matrix of the VNNI kernel (256 x 64 floats) stays there too.
constexpr std::size_t kBatchBlockRowsI8 = 256;
// Rows per block in batched float search: the block x queries score matrix
// (256 x 64 floats, 64 KB) stays in L2 until its top-k pass.
constexpr std::size_t kBatchBlockRowsF32 = 256;

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
} // namespace

struct DenseIndex::Impl {
  int dim = 1;
  DenseIndexOptions options;
  std::size_t rows = 0;
  // Owned storage (after add/remove) or views into a mapped file.
  // Owned rows are 64-byte aligned, large ones on advised huge pages.
  detail::AlignedBuffer<float> f32_own;
  detail::AlignedBuffer<std::int8_t> i8_own;
  detail::AlignedBuffer<float> scale_own;
  const float* f32 = nullptr;
  const std::int8_t* i8 = nullptr;
  const float* scales = nullptr;
  std::optional<io::ModelFile> file; // keeps the mapping alive

  // Makes the data owned (copies from the mapping if needed).
  bool has_f32() const { return options.storage == VectorStorage::f32 || options.rerank > 0; }
  bool has_i8() const { return options.storage == VectorStorage::i8; }
  void own() {
    if (!file) return;
    const std::size_t n = rows * static_cast<std::size_t>(dim);
    if (has_f32()) f32_own.assign(f32, f32 + n);
    if (has_i8()) {
      i8_own.assign(i8, i8 + n);
      scale_own.assign(scales, scales + rows);
    }
    file.reset();
    repoint();
  }
  void repoint() {
    f32 = f32_own.data();
    i8 = i8_own.data();
    scales = scale_own.data();
  }
};

float quantize_i8(const float* x, int dim, std::int8_t* codes) noexcept {
  float max_abs = 0.0f;
  for (int j = 0; j < dim; ++j) {
    const float a = std::isfinite(x[j]) ? std::fabs(x[j]) : 0.0f;
    max_abs = std::max(max_abs, a);
  }
  if (max_abs == 0.0f) {
    std::memset(codes, 0, static_cast<std::size_t>(dim));
    return 0.0f;
  }
  const float scale = max_abs / 127.0f;
  const float inv = 1.0f / scale;
  for (int j = 0; j < dim; ++j) {
    const float v = std::isfinite(x[j]) ? x[j] * inv : 0.0f;
    codes[j] = static_cast<std::int8_t>(std::lround(std::clamp(v, -127.0f, 127.0f)));
  }
  return scale;
}

DenseIndex::DenseIndex(int dim, DenseIndexOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->dim = std::max(1, dim);
  impl->options = options;
  impl->repoint();
  impl_ = std::move(impl);
}

DenseIndex::Impl& DenseIndex::mutable_impl() {
  if (impl_.use_count() != 1) impl_ = std::make_shared<Impl>(*impl_);
  auto& impl = const_cast<Impl&>(*impl_);
  if (!impl.file) impl.repoint(); // a copy's vectors moved; point at its own
  return impl;
}

int DenseIndex::dim() const noexcept {
  return impl_->dim;
}
std::size_t DenseIndex::size() const noexcept {
  return impl_->rows;
}
const DenseIndexOptions& DenseIndex::options() const noexcept {
  return impl_->options;
}
std::size_t DenseIndex::memory_bytes() const noexcept {
  const std::size_t n = impl_->rows * static_cast<std::size_t>(impl_->dim);
  return (impl_->has_f32() ? n * sizeof(float) : 0) +
         (impl_->has_i8() ? n + impl_->rows * sizeof(float) : 0);
}

const float* DenseIndex::float_rows() const noexcept {
  return impl_->has_f32() && impl_->rows > 0 ? impl_->f32 : nullptr;
}
const std::int8_t* DenseIndex::int8_codes() const noexcept {
  return impl_->has_i8() && impl_->rows > 0 ? impl_->i8 : nullptr;
}

void DenseIndex::add(const float* rows, std::size_t n) {
  if (n == 0) return;
  Impl& impl = mutable_impl();
  impl.own();
  const std::size_t d = static_cast<std::size_t>(impl.dim);
  if (impl.has_f32()) {
    const std::size_t old = impl.f32_own.size();
    impl.f32_own.resize(old + n * d);
    for (std::size_t i = 0; i < n * d; ++i)
      impl.f32_own[old + i] = std::isfinite(rows[i]) ? rows[i] : 0.0f;
  }
  if (impl.has_i8()) {
    const std::size_t old = impl.i8_own.size();
    impl.i8_own.resize(old + n * d);
    impl.scale_own.resize(impl.rows + n);
    for (std::size_t i = 0; i < n; ++i)
      impl.scale_own[impl.rows + i] =
          quantize_i8(rows + i * d, impl.dim, impl.i8_own.data() + old + i * d);
  }
  impl.rows += n;
  impl.repoint();
}

void DenseIndex::remove_rows(const std::vector<std::uint32_t>& ids) {
  if (ids.empty()) return;
  Impl& impl = mutable_impl();
  impl.own();
  std::vector<char> drop(impl.rows, 0);
  for (std::uint32_t id : ids)
    if (id < impl.rows) drop[id] = 1;
  const std::size_t d = static_cast<std::size_t>(impl.dim);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < impl.rows; ++i) {
    if (drop[i]) continue;
    if (kept != i) {
      if (impl.has_f32())
        std::memmove(&impl.f32_own[kept * d], &impl.f32_own[i * d], d * sizeof(float));
      if (impl.has_i8()) {
        std::memmove(&impl.i8_own[kept * d], &impl.i8_own[i * d], d);
        impl.scale_own[kept] = impl.scale_own[i];
      }
    }
    ++kept;
  }
  impl.rows = kept;
  if (impl.has_f32()) impl.f32_own.resize(kept * d);
  if (impl.has_i8()) {
    impl.i8_own.resize(kept * d);
    impl.scale_own.resize(kept);
  }
  impl.repoint();
}

namespace {

// Copy of a query with non-finite components zeroed (inference never fails).
void sanitize(const float* q, int dim, float* out) {
  for (int j = 0; j < dim; ++j)
    out[j] = std::isfinite(q[j]) ? q[j] : 0.0f;
}

// Int8 query: codes, and the codes widened to int16, for the kernels.
cpu::QueryI8 quantize_query(const float* q, int dim, std::int8_t* codes, std::int16_t* wide) {
  const float scale = quantize_i8(q, dim, codes);
  for (int j = 0; j < dim; ++j)
    wide[j] = codes[j];
  return cpu::QueryI8{codes, wide, scale};
}

// Float32 scores of rows [b, b+n) into out: the level's kernel, else Eigen's
// matrix-vector product.
void score_f32_block(const float* rows, std::size_t n, int d, const float* q, float* out) {
  if (const auto kernel = cpu::kernels().score_f32) {
    kernel(rows, n, d, q, out);
    return;
  }
  Eigen::Map<const RowMatrix> block(rows, static_cast<Eigen::Index>(n), d);
  Eigen::Map<const Eigen::VectorXf> qv(q, d);
  Eigen::Map<Eigen::VectorXf>(out, static_cast<Eigen::Index>(n)).noalias() = block * qv;
}

// Exact re-scoring of int8 candidates with the float rows; keeps the best k.
void rerank(const float* f32, int d, const float* q, int k, std::vector<ScoredId>& cands) {
  Eigen::Map<const Eigen::VectorXf> qv(q, d);
  for (ScoredId& c : cands)
    c.score =
        Eigen::Map<const Eigen::VectorXf>(f32 + std::size_t(c.id) * std::size_t(d), d).dot(qv);
  std::sort(cands.begin(), cands.end(), detail::Better{});
  if (cands.size() > static_cast<std::size_t>(k)) cands.resize(static_cast<std::size_t>(k));
}

} // namespace

void DenseIndex::search(const float* query, int k, std::vector<ScoredId>& out,
                        ResultOrder order) const {
  const Impl& impl = *impl_;
  detail::TopK top(out, k);
  if (k <= 0 || impl.rows == 0) return;
  const int d = impl.dim;
  thread_local std::vector<float> q, scores;
  q.resize(static_cast<std::size_t>(d));
  sanitize(query, d, q.data());
  scores.resize(kBlockRows);
  if (impl.options.storage == VectorStorage::f32) {
    for (std::size_t b = 0; b < impl.rows; b += kBlockRows) {
      const std::size_t n = std::min(kBlockRows, impl.rows - b);
      score_f32_block(impl.f32 + b * static_cast<std::size_t>(d), n, d, q.data(), scores.data());
      top.offer(scores.data(), n, static_cast<std::uint32_t>(b));
    }
    if (order == ResultOrder::best_first) top.finish();
    return;
  }
  const int shortlist = impl.options.rerank > 0 ? k * impl.options.rerank : k;
  detail::TopK cand(out, shortlist);
  if (impl.options.query == QueryPrecision::i8) {
    thread_local std::vector<std::int8_t> codes;
    thread_local std::vector<std::int16_t> wide;
    codes.resize(static_cast<std::size_t>(d));
    wide.resize(static_cast<std::size_t>(d));
    const cpu::QueryI8 qi = quantize_query(q.data(), d, codes.data(), wide.data());
    const auto kernel = cpu::kernels().score_i8;
    for (std::size_t b = 0; b < impl.rows; b += kBlockRows) {
      const std::size_t n = std::min(kBlockRows, impl.rows - b);
      kernel(impl.i8 + b * static_cast<std::size_t>(d), impl.scales + b, n, d, qi, scores.data());
      cand.offer(scores.data(), n, static_cast<std::uint32_t>(b));
    }
  } else {
    const auto kernel = cpu::kernels().score_f32q;
    for (std::size_t b = 0; b < impl.rows; b += kBlockRows) {
      const std::size_t n = std::min(kBlockRows, impl.rows - b);
      kernel(impl.i8 + b * static_cast<std::size_t>(d), impl.scales + b, n, d, q.data(),
             scores.data());
      cand.offer(scores.data(), n, static_cast<std::uint32_t>(b));
    }
  }
  cand.finish();
  if (impl.options.rerank > 0) rerank(impl.f32, d, q.data(), k, out);
}

void DenseIndex::search_batch(const float* queries, std::size_t nq, int k,
                              std::vector<std::vector<ScoredId>>& out) const {
  const Impl& impl = *impl_;
  out.resize(nq);
  const bool shortlist = impl.options.storage == VectorStorage::i8 && impl.options.rerank > 0;
  const int kk = shortlist ? k * impl.options.rerank : k;
  std::vector<detail::TopK> tops;
  tops.reserve(nq);
  for (std::size_t i = 0; i < nq; ++i)
    tops.emplace_back(out[i], kk);
  if (k <= 0 || impl.rows == 0 || nq == 0) return;
  const int d = impl.dim;
  const std::size_t du = static_cast<std::size_t>(d);
  std::vector<float> q(nq * du);
  for (std::size_t i = 0; i < nq; ++i)
    sanitize(queries + i * du, d, q.data() + i * du);
  std::vector<float> thresholds; // per query, for detail::offer_block

  if (impl.options.storage == VectorStorage::f32) {
    if (const auto kernel = cpu::kernels().score_batch_f32) {
      // Queries transposed and zero-padded to whole register tiles; the
      // kernel reads each row once for the whole batch.
      const std::size_t w = cpu::kernels().batch_f32_width;
      const std::size_t ldq = (nq + w - 1) / w * w;
      std::vector<float> qt(du * ldq, 0.0f);
      for (std::size_t i = 0; i < nq; ++i)
        for (std::size_t j = 0; j < du; ++j)
          qt[j * ldq + i] = q[i * du + j];
      std::vector<float> s(kBatchBlockRowsF32 * ldq);
      for (std::size_t b = 0; b < impl.rows; b += kBatchBlockRowsF32) {
        const std::size_t n = std::min(kBatchBlockRowsF32, impl.rows - b);
        kernel(impl.f32 + b * du, n, d, qt.data(), ldq, s.data());
        detail::offer_block(s.data(), n, ldq, static_cast<std::uint32_t>(b), tops, thresholds);
      }
    } else {
      Eigen::Map<const RowMatrix> qm(q.data(), static_cast<Eigen::Index>(nq), d);
      // Column-major block x queries: each query's scores are contiguous.
      Eigen::MatrixXf s(static_cast<Eigen::Index>(kBatchBlockRowsF32),
                        static_cast<Eigen::Index>(nq));
      for (std::size_t b = 0; b < impl.rows; b += kBatchBlockRowsF32) {
        const std::size_t n = std::min(kBatchBlockRowsF32, impl.rows - b);
        Eigen::Map<const RowMatrix> block(impl.f32 + b * du, static_cast<Eigen::Index>(n), d);
        auto sb = s.topRows(static_cast<Eigen::Index>(n));
        sb.noalias() = block * qm.transpose();
        for (std::size_t i = 0; i < nq; ++i)
          tops[i].offer(s.col(static_cast<Eigen::Index>(i)).data(), n,
                        static_cast<std::uint32_t>(b));
      }
    }
  } else if (impl.options.query == QueryPrecision::i8 && d % 4 == 0 &&
             cpu::kernels().score_batch_i8) {
    // Int8 queries packed for the VNNI batch kernel (see cpu/kernels.hpp);
    // each row is read once for the whole batch.
    const std::size_t w = cpu::kBatchI8Width;
    const std::size_t ldq = (nq + w - 1) / w * w;
    std::vector<std::uint8_t> qp(du * ldq, 128);
    std::vector<float> qscales(ldq, 0.0f);
    std::vector<std::int8_t> codes(du);
    for (std::size_t i = 0; i < nq; ++i) {
      qscales[i] = quantize_i8(q.data() + i * du, d, codes.data());
      for (std::size_t j = 0; j < du; ++j)
        qp[((j / 4) * ldq + i) * 4 + j % 4] = static_cast<std::uint8_t>(codes[j] + 128);
    }
    const auto kernel = cpu::kernels().score_batch_i8;
    std::vector<float> s(kBatchBlockRowsI8 * ldq);
    for (std::size_t b = 0; b < impl.rows; b += kBatchBlockRowsI8) {
      const std::size_t n = std::min(kBatchBlockRowsI8, impl.rows - b);
      kernel(impl.i8 + b * du, impl.scales + b, n, d, qp.data(), qscales.data(), ldq, s.data());
      detail::offer_block(s.data(), n, ldq, static_cast<std::uint32_t>(b), tops, thresholds);
    }
  } else {
    std::vector<float> scores(kBatchBlockRowsI8);
    const bool int_query = impl.options.query == QueryPrecision::i8;
    std::vector<std::int8_t> codes(int_query ? nq * du : 0);
    std::vector<std::int16_t> wide(int_query ? nq * du : 0);
    std::vector<cpu::QueryI8> qi;
    if (int_query)
      for (std::size_t i = 0; i < nq; ++i)
        qi.push_back(
            quantize_query(q.data() + i * du, d, codes.data() + i * du, wide.data() + i * du));
    const auto ki = cpu::kernels().score_i8;
    const auto kf = cpu::kernels().score_f32q;
    for (std::size_t b = 0; b < impl.rows; b += kBatchBlockRowsI8) {
      const std::size_t n = std::min(kBatchBlockRowsI8, impl.rows - b);
      for (std::size_t i = 0; i < nq; ++i) {
        if (int_query) {
          ki(impl.i8 + b * du, impl.scales + b, n, d, qi[i], scores.data());
        } else {
          kf(impl.i8 + b * du, impl.scales + b, n, d, q.data() + i * du, scores.data());
        }
        tops[i].offer(scores.data(), n, static_cast<std::uint32_t>(b));
      }
    }
  }
  for (auto& t : tops)
    t.finish();
  if (shortlist)
    for (std::size_t i = 0; i < nq; ++i)
      rerank(impl.f32, d, q.data() + i * du, k, out[i]);
}

void DenseIndex::write(io::ModelWriter& writer, const std::string& prefix) const {
  const Impl& impl = *impl_;
  // dim, storage, query precision, rows, rerank factor
  const std::uint32_t header[5] = {
      static_cast<std::uint32_t>(impl.dim), static_cast<std::uint32_t>(impl.options.storage),
      static_cast<std::uint32_t>(impl.options.query), static_cast<std::uint32_t>(impl.rows),
      static_cast<std::uint32_t>(std::max(0, impl.options.rerank))};
  writer.add_tensor(prefix + "header", io::DType::u32, {5}, header, sizeof header);
  const auto n = static_cast<std::int64_t>(impl.rows);
  const std::size_t cells = impl.rows * static_cast<std::size_t>(impl.dim);
  if (impl.has_f32())
    writer.add_tensor(prefix + "vectors", io::DType::f32, {n, impl.dim}, impl.f32,
                      cells * sizeof(float));
  if (impl.has_i8()) {
    writer.add_tensor(prefix + "codes", io::DType::i8, {n, impl.dim}, impl.i8, cells);
    writer.add_tensor(prefix + "scales", io::DType::f32, {n}, impl.scales,
                      impl.rows * sizeof(float));
  }
}

Result<DenseIndex> DenseIndex::read(const io::ModelFile& file, const std::string& prefix) {
  auto header = file.require(prefix + "header", io::DType::u32, 1);
  if (!header) return header.error();
  const io::Tensor& h = *header.value();
  if (h.elements() != 5)
    return make_error(ErrorCode::corrupt, file.path() + ": tensor " + prefix + "header has " +
                                              std::to_string(h.elements()) +
                                              " elements, expected 5");
  const std::uint32_t* v = h.as<std::uint32_t>();
  if (v[0] == 0 || v[0] > 65536 || v[1] > 1 || v[2] > 1 || v[4] > 1000)
    return make_error(ErrorCode::corrupt, file.path() + ": invalid dense index header (dim " +
                                              std::to_string(v[0]) + ", storage " +
                                              std::to_string(v[1]) + ")");
  DenseIndexOptions options{static_cast<VectorStorage>(v[1]), static_cast<QueryPrecision>(v[2]),
                            static_cast<int>(v[4])};
  DenseIndex index(static_cast<int>(v[0]), options);
  auto impl = std::make_shared<Impl>(*index.impl_);
  impl->rows = v[3];
  const std::int64_t rows = v[3], dim = v[0];
  auto check_shape = [&](const io::Tensor& t, std::vector<std::int64_t> shape) -> Result<void> {
    if (t.shape != shape)
      return make_error(ErrorCode::corrupt, file.path() + ": tensor " + t.name +
                                                " has the wrong shape for " + std::to_string(rows) +
                                                " rows of dimension " + std::to_string(dim));
    return {};
  };
  if (impl->has_f32()) {
    auto t = file.require(prefix + "vectors", io::DType::f32, 2);
    if (!t) return t.error();
    if (auto r = check_shape(*t.value(), {rows, dim}); !r) return r.error();
    // A NaN vector would score NaN and could rank first: refused at load.
    if (auto r = io::detail::check_trained(file, *t.value()); !r) return r.error();
    impl->f32 = t.value()->as<float>();
    detail::advise_huge_pages(impl->f32, std::size_t(rows * dim) * sizeof(float));
  }
  if (impl->has_i8()) {
    auto c = file.require(prefix + "codes", io::DType::i8, 2);
    if (!c) return c.error();
    if (auto r = check_shape(*c.value(), {rows, dim}); !r) return r.error();
    auto s = file.require(prefix + "scales", io::DType::f32, 1);
    if (!s) return s.error();
    if (auto r = check_shape(*s.value(), {rows}); !r) return r.error();
    // A zero vector is quantized with scale 0; a negative scale never is.
    if (auto r = io::detail::check_trained(file, *s.value(), 0.0f); !r) return r.error();
    impl->i8 = c.value()->as<std::int8_t>();
    detail::advise_huge_pages(impl->i8, std::size_t(rows * dim));
    impl->scales = s.value()->as<float>();
  }
  impl->file = file;
  index.impl_ = std::move(impl);
  return index;
}

Result<void> DenseIndex::save(const std::string& path) const {
  io::ModelWriter writer("dense-index");
  writer.set_metadata(R"({"format":"supportnlp dense index"})");
  write(writer, "");
  return writer.save(path);
}

Result<DenseIndex> DenseIndex::load(const std::string& path) {
  auto file = io::ModelFile::open(path, "dense-index");
  if (!file) return file.error();
  return read(file.value(), "");
}

} // namespace supportnlp::search
