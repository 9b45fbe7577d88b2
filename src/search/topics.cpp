// Topic discovery: encode, cluster (topics_cluster.cpp), assign the tickets
// left out of the sample, then describe each topic (topics_label.cpp) and
// its growth.
#include "supportnlp/search/topics.hpp"

#include "search/topics_cluster.hpp"
#include "search/topics_label.hpp"
#include "supportnlp/search/dense_index.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

namespace supportnlp::search {

namespace {

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// A deterministic sample of `k` of `items`, in their original order.
std::vector<std::size_t> sample(const std::vector<std::size_t>& items, std::size_t k,
                                std::uint64_t seed) {
  std::vector<std::size_t> v = items;
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < k && i + 1 < v.size(); ++i) {
    const std::size_t j = i + static_cast<std::size_t>(splitmix64(state) % (v.size() - i));
    std::swap(v[i], v[j]);
  }
  v.resize(k);
  std::sort(v.begin(), v.end());
  return v;
}

float dot(const float* a, const float* b, int dim) {
  float s = 0.0f;
  for (int i = 0; i < dim; ++i)
    s += a[i] * b[i];
  return s;
}

// Unit centroids (row-major, topics x dim) of the rows assigned to each topic.
std::vector<float> centroids(const float* vectors, int dim, const std::vector<int>& assignment,
                             std::size_t topics) {
  const auto d = static_cast<std::size_t>(dim);
  std::vector<float> c(topics * d, 0.0f);
  for (std::size_t i = 0; i < assignment.size(); ++i) {
    if (assignment[i] < 0) continue;
    float* row = c.data() + static_cast<std::size_t>(assignment[i]) * d;
    const float* v = vectors + i * d;
    for (std::size_t j = 0; j < d; ++j)
      row[j] += v[j];
  }
  for (std::size_t t = 0; t < topics; ++t) {
    float* row = c.data() + t * d;
    const float n = std::sqrt(dot(row, row, dim));
    if (n > 0)
      for (std::size_t j = 0; j < d; ++j)
        row[j] /= n;
  }
  return c;
}

// Single-link merge of topics whose centroids have cosine >= `similarity`:
// each group takes its lowest topic number, and the numbers are compacted.
void merge_close_topics(const float* vectors, int dim, float similarity, std::size_t& topics,
                        std::vector<int>& assignment) {
  const auto d = static_cast<std::size_t>(dim);
  const auto cents = centroids(vectors, dim, assignment, topics);
  std::vector<std::size_t> parent(topics);
  for (std::size_t t = 0; t < topics; ++t)
    parent[t] = t;
  const auto root = [&](std::size_t t) {
    while (parent[t] != t)
      t = parent[t] = parent[parent[t]];
    return t;
  };
  for (std::size_t a = 0; a < topics; ++a)
    for (std::size_t b = a + 1; b < topics; ++b)
      if (dot(cents.data() + a * d, cents.data() + b * d, dim) >= similarity) {
        const std::size_t ra = root(a), rb = root(b);
        if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
      }
  std::vector<int> number(topics, -1);
  int next = 0;
  for (std::size_t t = 0; t < topics; ++t)
    if (root(t) == t) number[t] = next++;
  for (int& a : assignment)
    if (a >= 0) a = number[root(static_cast<std::size_t>(a))];
  topics = static_cast<std::size_t>(next);
}

Result<void> check(const TopicOptions& o, std::size_t n, const std::vector<std::int64_t>* ts) {
  if (o.min_cluster_size < 2)
    return make_error(ErrorCode::invalid_argument, "topics: min_cluster_size must be at least 2");
  if (o.max_clustered < 2)
    return make_error(ErrorCode::invalid_argument, "topics: max_clustered must be at least 2");
  if (o.neighbors != 0 && o.neighbors < std::max<std::size_t>(1, o.min_samples))
    return make_error(ErrorCode::invalid_argument,
                      "topics: neighbors must be at least min_samples");
  if (!(o.emerging_growth > 0))
    return make_error(ErrorCode::invalid_argument, "topics: emerging_growth must be positive");
  if (!(o.reassign_similarity >= -1.0f))
    return make_error(ErrorCode::invalid_argument, "topics: reassign_similarity must be >= -1");
  if (!(o.merge_similarity >= -1.0f))
    return make_error(ErrorCode::invalid_argument, "topics: merge_similarity must be >= -1");
  if (ts && ts->size() != n)
    return make_error(ErrorCode::invalid_argument, "topics: " + std::to_string(ts->size()) +
                                                       " timestamps for " + std::to_string(n) +
                                                       " texts");
  return {};
}

} // namespace

std::vector<float> topic_vectors(const std::vector<std::string>& texts,
                                 const embed::Encoder& encoder) {
  const auto d = static_cast<std::size_t>(encoder.dim());
  std::vector<float> vectors(texts.size() * d, 0.0f);
  // Encoded in blocks so the views stay small; blank texts keep zero rows.
  constexpr std::size_t kBlock = 1024;
  std::vector<std::string_view> views;
  std::vector<std::size_t> rows;
  std::vector<float> block;
  for (std::size_t b = 0; b < texts.size(); b += kBlock) {
    views.clear();
    rows.clear();
    for (std::size_t i = b; i < std::min(texts.size(), b + kBlock); ++i)
      if (!blank(texts[i])) {
        views.emplace_back(texts[i]);
        rows.push_back(i);
      }
    block.assign(views.size() * d, 0.0f);
    if (!views.empty()) encoder.encode_batch(views, block.data());
    for (std::size_t r = 0; r < rows.size(); ++r)
      std::copy(block.begin() + static_cast<std::ptrdiff_t>(r * d),
                block.begin() + static_cast<std::ptrdiff_t>((r + 1) * d),
                vectors.begin() + static_cast<std::ptrdiff_t>(rows[r] * d));
  }
  return vectors;
}

Result<TopicReport> discover_topics(const std::vector<std::string>& texts,
                                    const embed::Encoder& encoder, const TopicOptions& options,
                                    const std::vector<std::int64_t>* timestamps) {
  if (auto ok = check(options, texts.size(), timestamps); !ok) return ok.error();
  const std::vector<float> vectors = topic_vectors(texts, encoder);
  return discover_topics(texts, vectors.data(), encoder.dim(), options, timestamps);
}

Result<TopicReport> discover_topics(const std::vector<std::string>& texts, const float* vectors,
                                    int dim, const TopicOptions& options,
                                    const std::vector<std::int64_t>* timestamps) {
  if (auto ok = check(options, texts.size(), timestamps); !ok) return ok.error();
  if (dim < 1) return make_error(ErrorCode::invalid_argument, "topics: dim must be positive");
  const std::size_t n = texts.size();
  const auto d = static_cast<std::size_t>(dim);
  TopicReport report;
  report.assignment.assign(n, -1);

  // Tickets with something to cluster: non-blank text and a non-zero vector.
  std::vector<std::size_t> usable;
  for (std::size_t i = 0; i < n; ++i) {
    const float* v = vectors + i * d;
    if (!blank(texts[i]) && dot(v, v, dim) > 0.25f) usable.push_back(i);
  }
  const std::vector<std::size_t> core = usable.size() > options.max_clustered
                                            ? sample(usable, options.max_clustered, options.seed)
                                            : usable;
  report.clustered = core.size();

  // Cluster the core rows.
  std::vector<float> core_vectors(core.size() * d);
  for (std::size_t r = 0; r < core.size(); ++r)
    std::copy(vectors + core[r] * d, vectors + (core[r] + 1) * d,
              core_vectors.begin() + static_cast<std::ptrdiff_t>(r * d));
  const std::size_t min_samples =
      options.min_samples == 0 ? options.min_cluster_size : options.min_samples;
  const std::size_t k =
      options.neighbors != 0 ? options.neighbors : std::max<std::size_t>(10, 2 * min_samples);
  const auto graph = detail::knn_graph(core_vectors.data(), core.size(), dim, k);
  const auto labels = detail::hdbscan(graph, core.size(), options.min_cluster_size, min_samples,
                                      options.leaf_selection);
  std::size_t topics = 0;
  for (int l : labels)
    topics = std::max(topics, static_cast<std::size_t>(l + 1));
  for (std::size_t r = 0; r < core.size(); ++r)
    report.assignment[core[r]] = labels[r];
  if (topics > 1 && options.merge_similarity <= 1.0f)
    merge_close_topics(vectors, dim, options.merge_similarity, topics, report.assignment);

  // Tickets outside the sample (and, if asked, outliers) join the nearest
  // topic centroid when close enough. Outside the sample, "close enough" is
  // at least as close as the topic's loosest clustered member.
  if (topics > 0) {
    const auto cents = centroids(vectors, dim, report.assignment, topics);
    std::vector<std::vector<float>> member_cos(topics);
    for (std::size_t i = 0; i < n; ++i)
      if (report.assignment[i] >= 0) {
        const auto t = static_cast<std::size_t>(report.assignment[i]);
        member_cos[t].push_back(dot(vectors + i * d, cents.data() + t * d, dim));
      }
    std::vector<float> threshold(topics, 1.0f);
    for (std::size_t t = 0; t < topics; ++t) {
      auto& c = member_cos[t];
      if (c.empty()) continue;
      threshold[t] = *std::min_element(c.begin(), c.end());
    }
    std::vector<char> in_core(n, 0);
    for (std::size_t i : core)
      in_core[i] = 1;
    std::vector<std::size_t> pending;
    for (std::size_t i : usable)
      if (!in_core[i] || (report.assignment[i] < 0 && options.reassign_similarity <= 1.0f))
        pending.push_back(i);
    DenseIndex index(dim, {VectorStorage::f32});
    index.add(cents.data(), topics);
    constexpr std::size_t kBatch = 256;
    std::vector<float> queries;
    std::vector<std::vector<ScoredId>> hits;
    std::vector<int> extra(pending.size(), -1);
    for (std::size_t b = 0; b < pending.size(); b += kBatch) {
      const std::size_t nq = std::min(kBatch, pending.size() - b);
      queries.resize(nq * d);
      for (std::size_t q = 0; q < nq; ++q)
        std::copy(vectors + pending[b + q] * d, vectors + (pending[b + q] + 1) * d,
                  queries.begin() + static_cast<std::ptrdiff_t>(q * d));
      index.search_batch(queries.data(), nq, 1, hits);
      for (std::size_t q = 0; q < nq; ++q) {
        if (hits[q].empty()) continue;
        const std::size_t i = pending[b + q];
        const ScoredId h = hits[q][0];
        const float need = in_core[i] ? options.reassign_similarity : threshold[h.id];
        if (h.score >= need) extra[b + q] = static_cast<int>(h.id);
      }
    }
    for (std::size_t p = 0; p < pending.size(); ++p)
      report.assignment[pending[p]] = extra[p];
  }

  // Number topics by size, largest first (ties: earliest first ticket).
  std::vector<std::size_t> size(topics, 0), first(topics, n);
  for (std::size_t i = 0; i < n; ++i)
    if (report.assignment[i] >= 0) {
      const auto t = static_cast<std::size_t>(report.assignment[i]);
      ++size[t];
      first[t] = std::min(first[t], i);
    }
  std::vector<std::size_t> order;
  for (std::size_t t = 0; t < topics; ++t)
    if (size[t] > 0) order.push_back(t);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (size[a] != size[b]) return size[a] > size[b];
    return first[a] < first[b];
  });
  std::vector<int> renumber(topics, -1);
  for (std::size_t r = 0; r < order.size(); ++r)
    renumber[order[r]] = static_cast<int>(r);
  for (int& a : report.assignment)
    if (a >= 0) a = renumber[static_cast<std::size_t>(a)];
  const std::size_t nt = order.size();
  for (std::size_t i = 0; i < n; ++i)
    if (report.assignment[i] < 0) report.outliers.push_back(i);

  // Describe each topic.
  report.topics.resize(nt);
  const auto cents = centroids(vectors, dim, report.assignment, nt);
  std::vector<std::vector<std::pair<float, std::size_t>>> members(nt);
  for (std::size_t i = 0; i < n; ++i)
    if (report.assignment[i] >= 0) {
      const auto t = static_cast<std::size_t>(report.assignment[i]);
      members[t].emplace_back(dot(vectors + i * d, cents.data() + t * d, dim), i);
    }
  for (std::size_t t = 0; t < nt; ++t) {
    Topic& topic = report.topics[t];
    topic.id = static_cast<int>(t);
    topic.size = members[t].size();
    double sum = 0;
    for (const auto& m : members[t])
      sum += m.first;
    topic.cohesion = topic.size ? static_cast<float>(sum / static_cast<double>(topic.size)) : 0.0f;
    auto& ms = members[t];
    std::sort(ms.begin(), ms.end(), [](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      return a.second < b.second;
    });
    // Most central first, skipping repeats of a text already shown.
    for (const auto& m : ms) {
      if (topic.examples.size() >= options.examples) break;
      bool repeat = false;
      for (std::size_t e : topic.examples)
        repeat = repeat || texts[e] == texts[m.second];
      if (!repeat) topic.examples.push_back(m.second);
    }
  }
  detail::label_topics(texts, report.assignment, options.keywords, options.phrases, report.topics);

  if (timestamps && !usable.empty()) {
    report.has_timestamps = true;
    std::int64_t lo = (*timestamps)[usable.front()], hi = lo;
    for (std::size_t i : usable) {
      lo = std::min(lo, (*timestamps)[i]);
      hi = std::max(hi, (*timestamps)[i]);
    }
    // Midpoint, computed without overflow; with one distinct time every
    // ticket is recent.
    report.split_time =
        lo + static_cast<std::int64_t>(
                 (static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1) / 2);
    std::size_t earlier = 0, recent = 0;
    for (std::size_t i : usable) {
      const bool late = (*timestamps)[i] >= report.split_time;
      (late ? recent : earlier) += 1;
      if (report.assignment[i] >= 0) {
        Topic& t = report.topics[static_cast<std::size_t>(report.assignment[i])];
        (late ? t.recent : t.earlier) += 1;
      }
    }
    for (Topic& t : report.topics) {
      const double recent_share =
          static_cast<double>(t.recent) / static_cast<double>(std::max<std::size_t>(1, recent));
      const double earlier_share =
          (static_cast<double>(t.earlier) + 1.0) / (static_cast<double>(earlier) + 1.0);
      t.growth = recent_share / earlier_share;
      t.emerging = t.growth >= options.emerging_growth && t.recent >= options.emerging_min_recent;
    }
  }
  return report;
}

} // namespace supportnlp::search
