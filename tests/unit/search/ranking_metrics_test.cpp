// Ranking metrics against values worked out by hand (the arithmetic is in
// the comments), so a change of definition cannot pass unnoticed.
#include "supportnlp/search/ranking_metrics.hpp"

#include <catch2/catch.hpp>

using supportnlp::search::Judgements;
using supportnlp::search::RankingEvaluation;
using supportnlp::search::score_ranking;

TEST_CASE("ranking metrics: graded nDCG, MRR, recall and AP by hand", "[search][metrics]") {
  // Relevant: d1 (grade 2), d9 and d5 (grade 1); d7 judged not relevant.
  const Judgements judged{{"d1", 2}, {"d9", 1}, {"d5", 1}, {"d7", 0}};
  const std::vector<std::string> ranked{"d3", "d1", "d7", "d9"};
  // DCG@10  = (2^2-1)/log2(3) + (2^1-1)/log2(5)        = 1.892789 + 0.430677 = 2.323466
  // IDCG@10 = 3/log2(2) + 1/log2(3) + 1/log2(4)        = 3 + 0.630930 + 0.5  = 4.130930
  const auto m = score_ranking(ranked, judged, 10);
  CHECK(m.ndcg == Approx(0.562455901550729));
  CHECK(m.mrr == Approx(0.5));                                   // first relevant at rank 2
  CHECK(m.recall == Approx(2.0 / 3.0));                          // d1 and d9 of three
  CHECK(m.average_precision == Approx((1.0 / 2 + 2.0 / 4) / 3)); // d5 never retrieved: 0
  // Cut at 2: DCG@2 = 1.892789, IDCG@2 = 3 + 0.630930.
  const auto m2 = score_ranking(ranked, judged, 2);
  CHECK(m2.ndcg == Approx(0.52129602861432));
  CHECK(m2.recall == Approx(1.0 / 3.0));
  CHECK(m2.mrr == Approx(0.5));
  CHECK(m2.average_precision == Approx(m.average_precision)); // AP reads the whole list
}

TEST_CASE("ranking metrics: grades 0/1 give binary nDCG", "[search][metrics]") {
  // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) = 1.630930.
  const auto m = score_ranking({"a", "x", "b"}, {{"a", 1}, {"b", 1}}, 10);
  CHECK(m.ndcg == Approx(0.9197207891481876));
  CHECK(m.mrr == Approx(1.0));
  CHECK(m.recall == Approx(1.0));
  CHECK(m.average_precision == Approx((1.0 + 2.0 / 3) / 2));
}

TEST_CASE("ranking metrics: a perfect ranking scores 1, an empty one 0", "[search][metrics]") {
  const Judgements judged{{"a", 3}, {"b", 2}, {"c", 1}};
  const auto best = score_ranking({"a", "b", "c", "z"}, judged, 10);
  CHECK(best.ndcg == Approx(1.0));
  CHECK(best.mrr == Approx(1.0));
  CHECK(best.recall == Approx(1.0));
  CHECK(best.average_precision == Approx(1.0));
  const auto none = score_ranking({}, judged, 10);
  CHECK(none.ndcg == 0);
  CHECK(none.mrr == 0);
  CHECK(none.recall == 0);
  CHECK(none.average_precision == 0);
}

TEST_CASE("ranking metrics: the mean counts only queries with a relevant document",
          "[search][metrics]") {
  RankingEvaluation eval(10);
  CHECK(eval.add({"a"}, {{"a", 1}}));                 // all 1
  CHECK(eval.add({"x", "a"}, {{"a", 1}}));            // ndcg 1/log2(3), mrr 1/2, AP 1/2
  CHECK_FALSE(eval.add({"a"}, {{"a", 0}, {"b", 0}})); // nothing relevant: not counted
  CHECK_FALSE(eval.add({"a"}, {}));
  CHECK(eval.queries() == 2);
  const auto m = eval.mean();
  CHECK(m.ndcg == Approx((1.0 + 0.630929753571458) / 2));
  CHECK(m.mrr == Approx(0.75));
  CHECK(m.recall == Approx(1.0));
  CHECK(m.average_precision == Approx(0.75));
  CHECK(RankingEvaluation(10).mean().ndcg == 0);
}
