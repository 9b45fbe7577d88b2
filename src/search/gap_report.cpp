// Gap report: score each query against the KB, keep the badly answered
// ones, group them by leader clustering.
#include "supportnlp/search/gap_report.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <functional>
#include <set>

namespace supportnlp::search {

namespace {

constexpr int kHashedDim = 1024;

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Unit vector of hashed analyzed terms: the grouping space without an encoder.
void hashed_terms(const LexicalIndex& lexical, const std::string& text, float* out) {
  Eigen::Map<Eigen::VectorXf> v(out, kHashedDim);
  v.setZero();
  for (const std::string& t : lexical.analyze(text))
    v[static_cast<Eigen::Index>(std::hash<std::string>{}(t) % kHashedDim)] += 1.0f;
  const float n = v.norm();
  if (n > 0) v /= n;
}

// Share of the query's distinct terms found in the hit's title or passage.
float term_coverage(const LexicalIndex& lexical, const std::string& query, const SearchHit& hit) {
  const auto q = lexical.analyze(query);
  const std::set<std::string> wanted(q.begin(), q.end());
  if (wanted.empty()) return 0.0f;
  auto found_terms = lexical.analyze(hit.title + "\n" + hit.passage);
  const std::set<std::string> found(found_terms.begin(), found_terms.end());
  std::size_t hits = 0;
  for (const auto& t : wanted)
    hits += found.count(t);
  return static_cast<float>(hits) / static_cast<float>(wanted.size());
}

} // namespace

GapReport find_gaps(const KnowledgeBase& kb, const std::vector<std::string>& queries,
                    const GapReportOptions& options) {
  GapReport report;
  const bool dense = kb.encoder() != nullptr;
  const LexicalIndex lexical(kb.options().bm25); // analysis only
  const int dim = dense ? kb.encoder()->dim() : kHashedDim;

  std::vector<GapQuery> gaps;
  std::vector<float> vectors; // row-major, one per gap
  std::vector<float> v(static_cast<std::size_t>(dim));
  SearchOptions so;
  so.top_k = 1;
  so.mode = dense ? SearchMode::dense : SearchMode::lexical;
  for (const std::string& q : queries) {
    if (blank(q)) continue;
    ++report.queries;
    const auto hits = kb.search(q, so);
    GapQuery g{q, 0.0f, hits.empty() ? std::string() : hits[0].article_id};
    if (!hits.empty())
      g.best_score = dense ? hits[0].dense_score : term_coverage(lexical, q, hits[0]);
    const float min = dense ? options.min_dense_score : options.min_term_coverage;
    if (!hits.empty() && g.best_score >= min) continue;
    if (dense)
      kb.encoder()->encode(q, v.data());
    else
      hashed_terms(lexical, q, v.data());
    gaps.push_back(std::move(g));
    vectors.insert(vectors.end(), v.begin(), v.end());
  }
  report.gaps = gaps.size();

  // Leader clustering, weakest-answered queries first so they seed groups.
  std::vector<std::size_t> order(gaps.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return gaps[a].best_score < gaps[b].best_score;
  });
  struct Group {
    std::vector<std::size_t> members;
    Eigen::VectorXf sum;
  };
  std::vector<Group> groups;
  for (std::size_t i : order) {
    Eigen::Map<const Eigen::VectorXf> x(vectors.data() + i * static_cast<std::size_t>(dim), dim);
    int best = -1;
    float best_sim = options.cluster_similarity;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const float norm = groups[g].sum.norm();
      if (norm <= 0) continue;
      const float sim = groups[g].sum.dot(x) / norm;
      if (sim >= best_sim) {
        best_sim = sim;
        best = static_cast<int>(g);
      }
    }
    if (best < 0 || x.norm() == 0.0f) {
      groups.push_back(Group{{i}, x});
    } else {
      groups[static_cast<std::size_t>(best)].members.push_back(i);
      groups[static_cast<std::size_t>(best)].sum += x;
    }
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.members.size() > b.members.size();
  });
  if (options.max_groups && groups.size() > options.max_groups) groups.resize(options.max_groups);
  for (Group& g : groups) {
    // Most central member first.
    const Eigen::VectorXf c = g.sum;
    std::stable_sort(g.members.begin(), g.members.end(), [&](std::size_t a, std::size_t b) {
      Eigen::Map<const Eigen::VectorXf> xa(vectors.data() + a * static_cast<std::size_t>(dim), dim);
      Eigen::Map<const Eigen::VectorXf> xb(vectors.data() + b * static_cast<std::size_t>(dim), dim);
      return c.dot(xa) > c.dot(xb);
    });
    GapGroup out;
    float total = 0.0f;
    for (std::size_t m : g.members) {
      out.queries.push_back(gaps[m]);
      total += gaps[m].best_score;
    }
    out.mean_best_score = total / static_cast<float>(g.members.size());
    report.groups.push_back(std::move(out));
  }
  return report;
}

} // namespace supportnlp::search
