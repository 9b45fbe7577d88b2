// KnowledgeBase::search: candidate passages from each retriever, fused per
// passage, then the best passage of each article decides its rank.
#include "search/knowledge_base_impl.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace supportnlp::search {

namespace {

struct Candidate {
  float dense = 0.0f;
  float lexical = 0.0f;
  int dense_rank = 0;   // 1-based; 0 = not a dense candidate
  int lexical_rank = 0; // 1-based; 0 = not a lexical candidate
};

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

} // namespace

std::vector<SearchHit> KnowledgeBase::search(std::string_view query,
                                             const SearchOptions& options) const {
  std::vector<SearchHit> hits;
  const Impl& impl = *impl_;
  if (options.top_k <= 0 || impl.passages.empty() || blank(query)) return hits;

  SearchMode mode = options.mode;
  if (!impl.has_dense()) mode = SearchMode::lexical;
  const int pool = std::max({options.candidates, options.top_k, 1});

  std::unordered_map<std::uint32_t, Candidate> cands;
  std::vector<ScoredId> list;
  float dense_floor = 0.0f;
  if (mode != SearchMode::lexical) {
    thread_local std::vector<float> q;
    q.resize(static_cast<std::size_t>(impl.encoder->dim()));
    impl.encoder->encode(query, q.data());
    impl.dense.search(q.data(), pool, list);
    for (std::size_t r = 0; r < list.size(); ++r) {
      Candidate& c = cands[list[r].id];
      c.dense = list[r].score;
      c.dense_rank = static_cast<int>(r) + 1;
    }
    if (!list.empty()) dense_floor = list.back().score;
  }
  if (mode != SearchMode::dense) {
    impl.lexical.search(query, pool, list);
    for (std::size_t r = 0; r < list.size(); ++r) {
      Candidate& c = cands[list[r].id];
      c.lexical = list[r].score;
      c.lexical_rank = static_cast<int>(r) + 1;
    }
  }

  // Fused score per passage; an article keeps its best passage.
  struct Best {
    std::uint32_t passage;
    float score;
    Candidate c;
  };
  std::unordered_map<std::uint32_t, Best> best; // article -> best passage
  for (const auto& [pid, c] : cands) {
    float score = 0.0f;
    switch (mode) {
    case SearchMode::dense:
      score = c.dense;
      break;
    case SearchMode::lexical:
      score = c.lexical;
      break;
    case SearchMode::hybrid:
      if (options.fusion == Fusion::rrf) {
        if (c.dense_rank) score += options.dense_weight / (options.rrf_k + c.dense_rank);
        if (c.lexical_rank) score += options.lexical_weight / (options.rrf_k + c.lexical_rank);
      } else {
        // A passage missing from the dense list scores at most the list's
        // last cosine: use that bound rather than zero.
        const float cos = c.dense_rank ? c.dense : dense_floor;
        const float sat = std::max(options.lexical_saturation, 1e-6f);
        score = options.dense_weight * cos + options.lexical_weight * c.lexical / (c.lexical + sat);
      }
      break;
    }
    const std::uint32_t article = impl.passages[pid].article;
    auto it = best.find(article);
    if (it == best.end()) {
      best.emplace(article, Best{pid, score, c});
    } else if (score > it->second.score ||
               (score == it->second.score && pid < it->second.passage)) {
      it->second = Best{pid, score, c};
    }
  }

  std::vector<Best> ranked;
  ranked.reserve(best.size());
  for (const auto& [article, b] : best)
    ranked.push_back(b);
  const auto order = [](const Best& a, const Best& b) {
    return a.score > b.score || (a.score == b.score && a.passage < b.passage);
  };
  const std::size_t k = std::min(ranked.size(), static_cast<std::size_t>(options.top_k));
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(),
                    order);
  ranked.resize(k);

  hits.reserve(k);
  for (const Best& b : ranked) {
    const Impl::Passage& p = impl.passages[b.passage];
    const Article& a = impl.articles[p.article];
    SearchHit hit;
    hit.article_id = a.id;
    hit.score = b.score;
    hit.dense_score = b.c.dense;
    hit.lexical_score = b.c.lexical;
    hit.title = a.title;
    hit.url = a.url;
    hit.passage_begin = p.begin;
    hit.passage_end = p.end;
    hit.passage = a.body.substr(p.begin, p.end - p.begin);
    if (options.highlight) {
      for (text::Span s : impl.lexical.match_spans(query, hit.passage))
        hit.highlights.push_back(text::Span{s.begin + p.begin, s.end + p.begin});
      hit.title_highlights = impl.lexical.match_spans(query, a.title);
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

} // namespace supportnlp::search
