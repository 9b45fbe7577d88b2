#pragma once
/// \file
/// Gap report: which of the questions customers asked does the knowledge
/// base answer badly, grouped by topic so writers see which articles are
/// missing.
///
/// A query is a gap when the best passage of the KB is far from it: for a KB
/// with an encoder, the cosine of the nearest passage is below
/// `min_dense_score`; for a lexical-only KB, less than `min_term_coverage`
/// of the query's terms occur in the best passage. Gaps are grouped by
/// greedy leader clustering of their encoder vectors (hashed term vectors
/// without an encoder): a query joins the most similar group whose centroid
/// is at least `cluster_similarity` away in cosine, or starts a new one.
///
/// \code
///   auto report = supportnlp::search::find_gaps(kb, queries);
///   for (const auto& g : report.groups)
///     std::cout << g.queries.size() << " x " << g.queries.front().text << '\n';
/// \endcode
///
/// Thread safety: a pure function of its arguments; safe to call from any
/// number of threads on the same KB.

#include "supportnlp/search/knowledge_base.hpp"

#include <string>
#include <vector>

namespace supportnlp::search {

/// Options of find_gaps.
struct GapReportOptions {
  float min_dense_score = 0.5f;    ///< a query whose nearest passage is below this cosine is a gap
  float min_term_coverage = 0.5f;  ///< lexical-only KB: share of query terms that must match
  float cluster_similarity = 0.6f; ///< cosine to a group's centroid needed to join it
  std::size_t max_groups = 100;    ///< largest groups kept (0: all)
};

/// One badly answered query.
struct GapQuery {
  std::string text;
  float best_score = 0.0f;     ///< cosine (or term coverage) of the best passage
  std::string best_article_id; ///< nearest article ("" if none)
};

/// Queries about one missing topic, the most central first.
struct GapGroup {
  std::vector<GapQuery> queries;
  float mean_best_score = 0.0f;
};

/// Result of find_gaps.
struct GapReport {
  std::size_t queries = 0;      ///< non-empty queries examined
  std::size_t gaps = 0;         ///< of which badly answered
  std::vector<GapGroup> groups; ///< largest group first
};

/// Finds and groups the badly answered `queries` (blank ones are skipped).
/// Never fails; an empty KB makes every query a gap.
GapReport find_gaps(const KnowledgeBase& kb, const std::vector<std::string>& queries,
                    const GapReportOptions& options = {});

} // namespace supportnlp::search
