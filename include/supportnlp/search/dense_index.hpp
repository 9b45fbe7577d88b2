#pragma once
/// \file
/// DenseIndex: exact top-k maximum-inner-product search over a matrix of
/// vectors, stored as float32 or as int8 with one scale per vector
/// (symmetric quantization). Scoring runs on contiguous rows with Eigen
/// (float32) or an int8 kernel chosen for the running CPU, and keeps a
/// partial top-k heap, so memory use does not grow with the index.
///
/// \code
///   supportnlp::search::DenseIndex index(256, {supportnlp::search::VectorStorage::i8});
///   index.add(vectors.data(), n);                  // n x 256, row-major
///   std::vector<supportnlp::search::ScoredId> top;
///   index.search(query.data(), 10, top);           // best first
/// \endcode
///
/// Thread safety: search() and search_batch() are const and may run from any
/// number of threads at once; add(), remove_rows() and assignment must not
/// run concurrently with anything else on the same object. Copies are cheap
/// until one of them is modified (copy-on-write).

#include "supportnlp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace supportnlp::io {
class ModelWriter;
class ModelFile;
} // namespace supportnlp::io

namespace supportnlp::search {

/// How vectors are stored. Values are part of the file format.
enum class VectorStorage : std::uint8_t {
  f32 = 0, ///< 4 bytes per component; exact scores
  i8 = 1,  ///< 1 byte per component plus one float scale per vector (4x smaller)
};

/// Precision of the query when the storage is int8.
enum class QueryPrecision : std::uint8_t {
  i8 = 0,  ///< quantize the query too and use integer dot products (fastest)
  f32 = 1, ///< keep the query in float; rows are widened on the fly
};

/// Index options; defaults favour exactness.
struct DenseIndexOptions {
  VectorStorage storage = VectorStorage::f32; ///< how rows are stored
  QueryPrecision query = QueryPrecision::i8;  ///< query precision for int8 storage
  /// int8 storage only: when > 0, also keep the float32 rows and re-score
  /// the best `rerank * k` int8 candidates exactly (the scan still reads
  /// only int8 codes; the float rows of the few candidates are read at
  /// random). 0: no float rows, scores are int8 approximations.
  int rerank = 0;
};

/// One result: row number (0-based, in insertion order) and inner product.
struct ScoredId {
  std::uint32_t id = 0;
  float score = 0.0f;
};

/// The order of a search's results.
enum class ResultOrder : std::uint8_t {
  best_first = 0, ///< best first; ties go to the lower id
  /// the same results in no particular order, for a caller that ranks them
  /// again (it saves their sort)
  any = 1,
};

/// Exact inner-product index. See the file comment for an example.
class DenseIndex {
public:
  /// An empty index of `dim`-dimensional vectors (dim is clamped to >= 1).
  explicit DenseIndex(int dim = 1, DenseIndexOptions options = {});

  /// Vector dimension.
  int dim() const noexcept;
  /// Number of rows.
  std::size_t size() const noexcept;
  /// Options the index was created with.
  const DenseIndexOptions& options() const noexcept;
  /// Bytes of vector data (rows and scales).
  std::size_t memory_bytes() const noexcept;

  /// The stored float32 rows, row-major size() x dim(), or nullptr when
  /// there are none (empty index, or int8 storage without re-ranking).
  /// Rows built in memory are 64-byte aligned, and large matrices sit on
  /// 2 MiB-aligned memory advised for huge pages; loaded rows stay in the
  /// file's mapping. The view is valid until this index is modified or
  /// destroyed. For exporting vectors, and for benchmarks that compare a
  /// scan with a plain read of the very same memory.
  const float* float_rows() const noexcept;
  /// The stored int8 codes, row-major size() x dim(), or nullptr when there
  /// are none (float32 storage or an empty index); same lifetime as above.
  const std::int8_t* int8_codes() const noexcept;

  /// Appends `n` row-major vectors of dim() floats; they get ids size()..
  /// size()+n-1. Non-finite components are stored as 0.
  void add(const float* rows, std::size_t n);
  /// Removes the rows whose ids are listed; later rows move down to keep ids
  /// dense (an id i becomes i minus the number of removed ids below it).
  void remove_rows(const std::vector<std::uint32_t>& ids);

  /// The `k` rows with the largest inner product with `query` (dim() floats),
  /// best first; ties go to the lower id (`order`: ResultOrder::any leaves
  /// the same k unsorted). `out` is cleared and reused. Never fails: k <= 0
  /// or an empty index give an empty result.
  void search(const float* query, int k, std::vector<ScoredId>& out,
              ResultOrder order = ResultOrder::best_first) const;
  /// Same for `nq` row-major queries at once; out[i] receives the hits of
  /// query i. Each row is read from memory once per batch (blocks of rows
  /// against all queries, register-tiled matrix-matrix products), so a batch
  /// costs far less than nq single searches.
  void search_batch(const float* queries, std::size_t nq, int k,
                    std::vector<std::vector<ScoredId>>& out) const;

  /// Adds the index's tensors, named `prefix` + "...", to a model file.
  void write(io::ModelWriter& writer, const std::string& prefix) const;
  /// Reads an index written by write(); row data stays in the file's mapping
  /// (no copy) until the index is modified. Errors: not_found, corrupt.
  [[nodiscard]] static Result<DenseIndex> read(const io::ModelFile& file,
                                               const std::string& prefix);

  /// Writes a stand-alone index file (kind "dense-index").
  [[nodiscard]] Result<void> save(const std::string& path) const;
  /// Memory-maps a stand-alone index file. Errors name the file.
  [[nodiscard]] static Result<DenseIndex> load(const std::string& path);

  /// Internal state; opaque to users.
  struct Impl;

private:
  std::shared_ptr<const Impl> impl_;
  Impl& mutable_impl();
};

/// Row i's int8 codes and scale for a float vector, as DenseIndex stores it:
/// scale = max|x| / 127, code = round(x / scale). Exposed for tests.
float quantize_i8(const float* x, int dim, std::int8_t* codes) noexcept;

} // namespace supportnlp::search
