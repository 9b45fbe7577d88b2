#pragma once
// Private to topic discovery: the k-nearest-neighbour graph of unit vectors
// and HDBSCAN's cluster hierarchy over it (see topics.hpp for the method).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace supportnlp::search::detail {

/// The `k` nearest other rows of every row, by cosine (inner product of unit
/// vectors): ids[i * k + r] and sims[i * k + r] for rank r, nearest first.
struct KnnGraph {
  std::size_t k = 0;
  std::vector<std::uint32_t> ids;
  std::vector<float> sims;
};

/// Exact kNN of `n` row-major unit vectors of `dim` floats, through
/// DenseIndex::search_batch (each block of rows read once per query batch).
/// k is clamped to n - 1.
KnnGraph knn_graph(const float* vectors, std::size_t n, int dim, std::size_t k);

/// HDBSCAN over the graph's mutual reachability distances (1 - cosine):
/// label of each row, 0..clusters-1, or -1 for outliers. `min_samples` is
/// the neighbour rank of the core distance (<= graph.k); `leaf` selects the
/// leaves of the condensed tree instead of the excess-of-mass clusters.
/// Deterministic; labels are numbered by their smallest row.
std::vector<int> hdbscan(const KnnGraph& graph, std::size_t n, std::size_t min_cluster_size,
                         std::size_t min_samples, bool leaf);

} // namespace supportnlp::search::detail
