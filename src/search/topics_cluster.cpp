// HDBSCAN on a kNN graph (Campello, Moulavi and Sander 2013; McInnes and
// Healy 2017): core distances from the graph, the minimum spanning forest
// of mutual reachability distances over its edges (Kruskal), the
// single-linkage hierarchy it implies, condensed with the minimum cluster
// size, and the clusters of greatest stability (excess of mass) or the
// condensed tree's leaves. Restricting the spanning tree to kNN edges is the
// usual approximation for large inputs: it changes nothing when the graph is
// connected at the scale of the clusters, and a disconnected graph simply
// gives a forest whose trees join at infinite distance.
#include "search/topics_cluster.hpp"

#include "supportnlp/search/dense_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace supportnlp::search::detail {

KnnGraph knn_graph(const float* vectors, std::size_t n, int dim, std::size_t k) {
  KnnGraph g;
  g.k = n > 1 ? std::min(k, n - 1) : 0;
  if (g.k == 0) return g;
  g.ids.assign(n * g.k, 0);
  g.sims.assign(n * g.k, 0.0f);
  DenseIndex index(dim, {VectorStorage::f32});
  index.add(vectors, n);
  constexpr std::size_t kBatch = 256;
  std::vector<std::vector<ScoredId>> hits;
  for (std::size_t b = 0; b < n; b += kBatch) {
    const std::size_t nq = std::min(kBatch, n - b);
    index.search_batch(vectors + b * static_cast<std::size_t>(dim), nq, static_cast<int>(g.k + 1),
                       hits);
    for (std::size_t q = 0; q < nq; ++q) {
      const std::size_t i = b + q;
      std::size_t r = 0;
      for (const ScoredId& h : hits[q]) {
        if (h.id == i || r == g.k) continue;
        g.ids[i * g.k + r] = h.id;
        g.sims[i * g.k + r] = h.score;
        ++r;
      }
    }
  }
  return g;
}

namespace {

struct Edge {
  float w;
  std::uint32_t a, b;
};

struct UnionFind {
  std::vector<std::uint32_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
};

// Smallest distance a merge is given: exact duplicates would otherwise get
// an infinite density and dominate every stability sum.
constexpr double kMinDistance = 1e-3;

double lambda_of(double distance) {
  if (!std::isfinite(distance)) return 0.0;
  return 1.0 / std::max(distance, kMinDistance);
}

struct Cluster {
  int parent = -1;
  double birth = 0.0; // lambda at which it appears
  double stability = 0.0;
  std::vector<int> children;
};

} // namespace

std::vector<int> hdbscan(const KnnGraph& graph, std::size_t n, std::size_t min_cluster_size,
                         std::size_t min_samples, bool leaf) {
  std::vector<int> labels(n, -1);
  const std::size_t k = graph.k;
  const std::size_t m = std::max<std::size_t>(2, min_cluster_size);
  if (n < m || k == 0) return labels;
  const std::size_t core_rank = std::min(std::max<std::size_t>(1, min_samples), k) - 1;

  std::vector<float> core(n);
  for (std::size_t i = 0; i < n; ++i)
    core[i] = std::max(0.0f, 1.0f - graph.sims[i * k + core_rank]);

  std::vector<Edge> edges;
  edges.reserve(n * k);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t r = 0; r < k; ++r) {
      const std::uint32_t j = graph.ids[i * k + r];
      const float d = std::max(0.0f, 1.0f - graph.sims[i * k + r]);
      const auto a = static_cast<std::uint32_t>(std::min<std::size_t>(i, j));
      const auto b = static_cast<std::uint32_t>(std::max<std::size_t>(i, j));
      edges.push_back({std::max({d, core[i], core[j]}), a, b});
    }
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    if (x.w != y.w) return x.w < y.w;
    if (x.a != y.a) return x.a < y.a;
    return x.b < y.b;
  });

  // Single-linkage tree: leaves 0..n-1, merges n.. in order of distance.
  const std::size_t nodes = 2 * n - 1;
  std::vector<std::uint32_t> left(nodes, 0), right(nodes, 0), size(nodes, 1);
  std::vector<double> dist(nodes, 0.0);
  std::vector<std::uint32_t> node_of(n);
  std::iota(node_of.begin(), node_of.end(), 0u);
  UnionFind uf(n);
  std::size_t next = n;
  auto merge = [&](std::uint32_t ra, std::uint32_t rb, double d) {
    left[next] = node_of[ra];
    right[next] = node_of[rb];
    size[next] = size[node_of[ra]] + size[node_of[rb]];
    dist[next] = d;
    uf.parent[rb] = ra;
    node_of[ra] = static_cast<std::uint32_t>(next);
    ++next;
  };
  for (const Edge& e : edges) {
    const std::uint32_t ra = uf.find(e.a), rb = uf.find(e.b);
    if (ra != rb) merge(std::min(ra, rb), std::max(ra, rb), e.w);
    if (next == nodes) break;
  }
  // Components the graph left apart join at infinite distance.
  for (std::uint32_t i = 1; i < n && next < nodes; ++i) {
    const std::uint32_t ra = uf.find(0), rb = uf.find(i);
    if (ra != rb)
      merge(std::min(ra, rb), std::max(ra, rb), std::numeric_limits<double>::infinity());
  }
  const std::uint32_t root = static_cast<std::uint32_t>(nodes - 1);

  // Condensed tree, top-down. point_cluster[p]: the cluster p falls out of;
  // point_lambda[p]: when.
  std::vector<Cluster> clusters(1);
  std::vector<int> point_cluster(n, 0);
  std::vector<double> point_lambda(n, 0.0);
  std::vector<std::uint32_t> fall_stack;
  auto fall = [&](std::uint32_t node, int c, double lam) {
    clusters[static_cast<std::size_t>(c)].stability +=
        static_cast<double>(size[node]) * (lam - clusters[static_cast<std::size_t>(c)].birth);
    fall_stack.assign(1, node);
    while (!fall_stack.empty()) {
      const std::uint32_t x = fall_stack.back();
      fall_stack.pop_back();
      if (x < n) {
        point_cluster[x] = c;
        point_lambda[x] = lam;
      } else {
        fall_stack.push_back(left[x]);
        fall_stack.push_back(right[x]);
      }
    }
  };
  std::vector<std::pair<std::uint32_t, int>> stack{{root, 0}};
  while (!stack.empty()) {
    const auto [x, c] = stack.back();
    stack.pop_back();
    if (x < n) { // only when the whole input is one point
      point_cluster[x] = c;
      continue;
    }
    const double lam = lambda_of(dist[x]);
    const std::uint32_t a = left[x], b = right[x];
    const bool big_a = size[a] >= m, big_b = size[b] >= m;
    if (big_a && big_b) {
      auto& cl = clusters[static_cast<std::size_t>(c)];
      cl.stability += static_cast<double>(size[x]) * (lam - cl.birth);
      for (std::uint32_t child : {a, b}) {
        const int id = static_cast<int>(clusters.size());
        Cluster nc;
        nc.parent = c;
        nc.birth = lam;
        clusters.push_back(nc);
        clusters[static_cast<std::size_t>(c)].children.push_back(id);
        stack.emplace_back(child, id);
      }
    } else if (big_a) {
      fall(b, c, lam);
      stack.emplace_back(a, c);
    } else if (big_b) {
      fall(a, c, lam);
      stack.emplace_back(b, c);
    } else {
      fall(a, c, lam);
      fall(b, c, lam);
    }
  }

  // Selection. Children are created after their parent, so a reverse scan
  // is bottom-up.
  const std::size_t nc = clusters.size();
  std::vector<char> selected(nc, 0);
  std::vector<double> subtree(nc, 0.0);
  for (std::size_t c = nc; c-- > 1;) {
    double child_sum = 0.0;
    for (int ch : clusters[c].children)
      child_sum += subtree[static_cast<std::size_t>(ch)];
    if (clusters[c].children.empty()) {
      selected[c] = 1;
      subtree[c] = clusters[c].stability;
    } else if (leaf) {
      subtree[c] = child_sum;
    } else if (clusters[c].stability >= child_sum) {
      selected[c] = 1;
      subtree[c] = clusters[c].stability;
    } else {
      subtree[c] = child_sum;
    }
  }
  std::vector<int> final_of(nc, -1);
  if (clusters[0].children.empty()) {
    // The root never splits: one topic, and the points that left it far
    // earlier than most (at more than twice the median distance) are outliers.
    std::vector<double> fall_dist(n);
    for (std::size_t p = 0; p < n; ++p)
      fall_dist[p] = point_lambda[p] > 0 ? 1.0 / point_lambda[p] : 1e9;
    std::vector<double> sorted = fall_dist;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n / 2),
                     sorted.end());
    const double cut = 2.0 * sorted[n / 2];
    for (std::size_t p = 0; p < n; ++p)
      labels[p] = fall_dist[p] <= cut ? 0 : -1;
    return labels;
  }
  for (std::size_t c = 1; c < nc; ++c) {
    const int up = final_of[static_cast<std::size_t>(clusters[c].parent)];
    final_of[c] = up >= 0 ? up : (selected[c] ? static_cast<int>(c) : -1);
  }
  // A point that left its topic's tree far earlier than the topic's typical
  // member (at more than twice the median distance) is an outlier rather
  // than a fringe member: HDBSCAN proper keeps it in, which puts strays
  // that happen to merge before the topic splits off into the topic.
  std::vector<std::vector<double>> fall_at(nc);
  for (std::size_t p = 0; p < n; ++p) {
    const int f = final_of[static_cast<std::size_t>(point_cluster[p])];
    if (f >= 0) fall_at[static_cast<std::size_t>(f)].push_back(1.0 / point_lambda[p]);
  }
  std::vector<double> cut(nc, 0.0);
  for (std::size_t c = 0; c < nc; ++c) {
    auto& v = fall_at[c];
    if (v.empty()) continue;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    cut[c] = 2.0 * v[v.size() / 2];
  }
  // Number clusters by their smallest row.
  std::vector<int> number(nc, -1);
  int count = 0;
  for (std::size_t p = 0; p < n; ++p) {
    const int f = final_of[static_cast<std::size_t>(point_cluster[p])];
    if (f < 0 || 1.0 / point_lambda[p] > cut[static_cast<std::size_t>(f)]) continue;
    if (number[static_cast<std::size_t>(f)] < 0) number[static_cast<std::size_t>(f)] = count++;
    labels[p] = number[static_cast<std::size_t>(f)];
  }
  return labels;
}

} // namespace supportnlp::search::detail
