#pragma once
/// \file
/// Ranking metrics for retrieval evaluation: graded nDCG@k, MRR@k, recall@k
/// and average precision, the one implementation behind `supportnlp eval
/// search`, `supportnlp eval encoder` and benchmarks/eval.
///
/// Definitions (TREC conventions; a document is relevant when its grade > 0):
/// - nDCG@k = DCG@k / IDCG@k with gain 2^grade - 1 and discount
///   log2(rank + 1) (rank from 1); IDCG@k ranks the judged grades best first.
///   With grades 0/1 this is binary nDCG.
/// - MRR@k: 1 / rank of the first relevant document within the top k, else 0.
/// - recall@k: relevant documents in the top k / relevant documents judged.
/// - average precision: the mean, over the relevant documents judged, of the
///   precision at the rank of each one retrieved anywhere in the list (a
///   relevant document not retrieved counts 0). MAP is its mean over queries.
///
/// \code
///   supportnlp::search::RankingEvaluation eval(10);
///   eval.add({"d3", "d1", "d7"}, {{"d1", 2}, {"d9", 1}});
///   double ndcg = eval.mean().ndcg;   // averaged over queries with a relevant document
/// \endcode
///
/// Thread safety: score_ranking is a pure function; a RankingEvaluation is
/// used by one thread at a time.

#include "supportnlp/io/records.hpp"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace supportnlp::search {

/// Relevance judgements of one query: document id -> grade (> 0: relevant).
using Judgements = std::map<std::string, int>;

/// The metrics of one ranking, or their means over queries.
struct RankingMetrics {
  double ndcg = 0;              ///< graded nDCG@k
  double mrr = 0;               ///< reciprocal rank of the first relevant document in the top k
  double recall = 0;            ///< share of the relevant documents in the top k
  double average_precision = 0; ///< over the whole ranked list
};

/// The metrics of `ranked` (document ids, best first) against `judged`, cut
/// at `k` for nDCG, MRR and recall. All zero when nothing judged is relevant.
RankingMetrics score_ranking(const std::vector<std::string>& ranked, const Judgements& judged,
                             std::size_t k);

/// Judgements of many queries, by query id.
using QueryJudgements = std::map<std::string, Judgements>;

/// Reads TREC-style relevance judgements, TSV `qid<TAB>docid<TAB>grade` (a
/// first line starting "qid" is a header; extra columns are ignored), by
/// io::read_tsv's policy: a short row, or a grade that is not an integer
/// ("relevance 'x' is not a number"), goes to `on_issue` and is skipped.
/// Returns the number of bad rows.
std::uint64_t read_qrels(std::istream& in, QueryJudgements& out, const io::IssueFn& on_issue);

/// Means of score_ranking over many queries.
class RankingEvaluation {
public:
  /// Metrics cut at `k` (e.g. 10 for ndcg@10).
  explicit RankingEvaluation(std::size_t k) : k_(k) {}
  /// Scores one query. A query with no relevant document judged is not
  /// counted (it has no answer to find) and add returns false.
  bool add(const std::vector<std::string>& ranked, const Judgements& judged);
  /// Number of queries counted.
  std::size_t queries() const noexcept { return n_; }
  /// The means over the counted queries (zeros when none was counted).
  RankingMetrics mean() const;

private:
  std::size_t k_;
  std::size_t n_ = 0;
  RankingMetrics sum_;
};

} // namespace supportnlp::search
