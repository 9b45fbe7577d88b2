// KnowledgeBase::search: candidate passages from each retriever, fused per
// passage, then the best passage of each article decides its rank.
#include "search/knowledge_base_impl.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace supportnlp::search {

namespace {

struct Candidate {
  float dense = 0.0f;
  float lexical = 0.0f;
  // 1-based place in the retriever's list (its rank when the list is
  // sorted); 0 = not a candidate of that retriever.
  int dense_rank = 0;
  int lexical_rank = 0;
};

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

// The fused score of one passage under `mode`.
float fused_score(SearchMode mode, const SearchOptions& options, const Candidate& c,
                  float dense_floor) {
  switch (mode) {
  case SearchMode::dense:
    return c.dense;
  case SearchMode::lexical:
    return c.lexical;
  case SearchMode::hybrid:
    break;
  }
  if (options.fusion == Fusion::rrf) {
    float score = 0.0f;
    if (c.dense_rank) score += options.dense_weight / (options.rrf_k + c.dense_rank);
    if (c.lexical_rank) score += options.lexical_weight / (options.rrf_k + c.lexical_rank);
    return score;
  }
  // A passage missing from the dense list scores at most the list's last
  // cosine: use that bound rather than zero.
  const float cos = c.dense_rank ? c.dense : dense_floor;
  const float sat = std::max(options.lexical_saturation, 1e-6f);
  return options.dense_weight * cos + options.lexical_weight * c.lexical / (c.lexical + sat);
}

} // namespace

std::vector<SearchHit> KnowledgeBase::search(std::string_view query,
                                             const SearchOptions& options) const {
  return search_tokens(query, nullptr, nullptr, options);
}

std::vector<SearchHit> KnowledgeBase::search(const text::TokenizedText& query,
                                             const SearchOptions& options) const {
  return search_tokens(query.source, &query, nullptr, options);
}

std::vector<SearchHit> KnowledgeBase::search(const text::TokenizedText& query,
                                             const float* query_vector,
                                             const SearchOptions& options) const {
  return search_tokens(query.source, &query, query_vector, options);
}

std::vector<SearchHit> KnowledgeBase::search_tokens(std::string_view query,
                                                    const text::TokenizedText* tokens,
                                                    const float* vector,
                                                    const SearchOptions& options) const {
  std::vector<SearchHit> hits;
  const Impl& impl = *impl_;
  if (options.top_k <= 0 || impl.passages.empty() || blank(query)) return hits;

  SearchMode mode = options.mode;
  if (!impl.has_dense()) mode = SearchMode::lexical;
  const int pool = std::max({options.candidates, options.top_k, 1});
  // Only reciprocal rank fusion reads the candidates' ranks; the other
  // fusions read their scores, and the ranking below is a total order, so
  // the retrievers need not sort their lists.
  const bool ranks = mode == SearchMode::hybrid && options.fusion == Fusion::rrf;
  const ResultOrder lists = ranks ? ResultOrder::best_first : ResultOrder::any;

  // Per-thread scratch indexed by passage and by article (a KB query runs
  // in tens of microseconds; hash maps and allocations were a large share).
  thread_local std::vector<Candidate> cands;
  thread_local std::vector<std::uint32_t> touched;
  thread_local std::vector<ScoredId> list;
  // Entries are reset through the previous search's touched list, so a
  // query costs O(candidates), not O(passages), however large the KB.
  for (const std::uint32_t pid : touched)
    cands[pid] = Candidate{};
  touched.clear();
  if (cands.size() < impl.passages.size()) cands.resize(impl.passages.size());
  auto candidate = [&](std::uint32_t pid) -> Candidate& {
    Candidate& c = cands[pid];
    if (!c.dense_rank && !c.lexical_rank) touched.push_back(pid);
    return c;
  };
  float dense_floor = 0.0f;
  if (mode != SearchMode::lexical) {
    thread_local std::vector<float> q;
    if (vector == nullptr) {
      q.resize(static_cast<std::size_t>(impl.encoder->dim()));
      if (tokens != nullptr)
        impl.encoder->encode_tokens(*tokens, q.data());
      else
        impl.encoder->encode(query, q.data());
      vector = q.data();
    }
    impl.dense.search(vector, pool, list, lists);
    for (std::size_t r = 0; r < list.size(); ++r) {
      Candidate& c = candidate(list[r].id);
      c.dense = list[r].score;
      c.dense_rank = static_cast<int>(r) + 1;
    }
    // The lowest cosine kept (the last of a sorted list).
    if (!list.empty())
      dense_floor = std::min_element(list.begin(), list.end(), [](const auto& a, const auto& b) {
                      return a.score < b.score;
                    })->score;
  }
  if (mode != SearchMode::dense) {
    if (tokens != nullptr)
      impl.lexical.search(*tokens, pool, list, lists);
    else
      impl.lexical.search(query, pool, list, lists);
    for (std::size_t r = 0; r < list.size(); ++r) {
      Candidate& c = candidate(list[r].id);
      c.lexical = list[r].score;
      c.lexical_rank = static_cast<int>(r) + 1;
    }
  }

  // Fused score per passage; an article keeps its best passage.
  struct Best {
    std::uint32_t passage;
    float score;
  };
  thread_local std::vector<Best> best; // by article; passage == kNone: no candidate
  constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  thread_local std::vector<std::uint32_t> found; // articles with a candidate
  for (const std::uint32_t article : found)
    best[article] = Best{kNone, 0.0f};
  found.clear();
  if (best.size() < impl.articles.size()) best.resize(impl.articles.size(), Best{kNone, 0.0f});
  for (const std::uint32_t pid : touched) {
    const Candidate& c = cands[pid];
    const float score = fused_score(mode, options, c, dense_floor);
    const std::uint32_t article = impl.passages[pid].article;
    Best& b = best[article];
    if (b.passage == kNone) {
      found.push_back(article);
      b = Best{pid, score};
    } else if (score > b.score || (score == b.score && pid < b.passage)) {
      b = Best{pid, score};
    }
  }

  thread_local std::vector<Best> ranked;
  ranked.clear();
  for (const std::uint32_t article : found)
    ranked.push_back(best[article]);
  const auto order = [](const Best& a, const Best& b) {
    return a.score > b.score || (a.score == b.score && a.passage < b.passage);
  };
  const std::size_t k = std::min(ranked.size(), static_cast<std::size_t>(options.top_k));
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(),
                    order);
  ranked.resize(k);

  std::vector<std::string> terms; // the query's analyzed terms, for highlights
  if (options.highlight) {
    terms = tokens != nullptr ? impl.lexical.analyze(*tokens) : impl.lexical.analyze(query);
    std::sort(terms.begin(), terms.end());
  }
  hits.reserve(k);
  for (const Best& b : ranked) {
    const Impl::Passage& p = impl.passages[b.passage];
    const Article& a = impl.articles[p.article];
    const Candidate& c = cands[b.passage];
    SearchHit hit;
    hit.article_id = a.id;
    hit.score = b.score;
    hit.dense_score = c.dense;
    hit.lexical_score = c.lexical;
    hit.title = a.title;
    hit.url = a.url;
    hit.passage_begin = p.begin;
    hit.passage_end = p.end;
    hit.passage = a.body.substr(p.begin, p.end - p.begin);
    if (options.highlight) {
      impl.lexical.match_terms(terms, hit.passage, hit.highlights);
      for (text::Span& s : hit.highlights)
        s = text::Span{s.begin + p.begin, s.end + p.begin};
      impl.lexical.match_terms(terms, a.title, hit.title_highlights);
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

} // namespace supportnlp::search
