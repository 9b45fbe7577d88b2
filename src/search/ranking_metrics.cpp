// Ranking metrics (supportnlp/search/ranking_metrics.hpp).
#include "supportnlp/search/ranking_metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>

namespace supportnlp::search {

namespace {

double gain(int grade) {
  return std::pow(2.0, grade) - 1.0;
}

double discount(std::size_t rank0) {
  return std::log2(static_cast<double>(rank0) + 2.0);
}

} // namespace

RankingMetrics score_ranking(const std::vector<std::string>& ranked, const Judgements& judged,
                             std::size_t k) {
  RankingMetrics m;
  std::vector<int> ideal;
  for (const auto& [doc, grade] : judged)
    if (grade > 0) ideal.push_back(grade);
  if (ideal.empty()) return m;
  std::sort(ideal.begin(), ideal.end(), std::greater<int>());
  double dcg = 0, idcg = 0, precision_sum = 0;
  std::size_t relevant_seen = 0, relevant_in_k = 0;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto it = judged.find(ranked[i]);
    const int grade = it == judged.end() ? 0 : it->second;
    if (grade <= 0) continue;
    ++relevant_seen;
    precision_sum += static_cast<double>(relevant_seen) / static_cast<double>(i + 1);
    if (i < k) {
      dcg += gain(grade) / discount(i);
      ++relevant_in_k;
      if (m.mrr == 0) m.mrr = 1.0 / static_cast<double>(i + 1);
    }
  }
  for (std::size_t i = 0; i < ideal.size() && i < k; ++i)
    idcg += gain(ideal[i]) / discount(i);
  const double relevant = static_cast<double>(ideal.size());
  m.ndcg = idcg > 0 ? dcg / idcg : 0;
  m.recall = static_cast<double>(relevant_in_k) / relevant;
  m.average_precision = precision_sum / relevant;
  return m;
}

std::uint64_t read_qrels(std::istream& in, QueryJudgements& out, const io::IssueFn& on_issue) {
  io::TsvOptions options;
  options.min_columns = 3;
  options.header_names = {"qid"};
  return io::read_tsv(
      in, options,
      [&](std::uint64_t, std::vector<std::string_view>& c) {
        int grade = 0;
        const auto [end, ec] = std::from_chars(c[2].data(), c[2].data() + c[2].size(), grade);
        if (ec != std::errc() || end == c[2].data())
          return "relevance '" + std::string(c[2]) + "' is not a number";
        out[std::string(c[0])][std::string(c[1])] = grade;
        return std::string();
      },
      on_issue);
}

bool RankingEvaluation::add(const std::vector<std::string>& ranked, const Judgements& judged) {
  if (std::none_of(judged.begin(), judged.end(), [](const auto& j) { return j.second > 0; }))
    return false;
  const RankingMetrics m = score_ranking(ranked, judged, k_);
  sum_.ndcg += m.ndcg;
  sum_.mrr += m.mrr;
  sum_.recall += m.recall;
  sum_.average_precision += m.average_precision;
  ++n_;
  return true;
}

RankingMetrics RankingEvaluation::mean() const {
  if (n_ == 0) return {};
  const double n = static_cast<double>(n_);
  return {sum_.ndcg / n, sum_.mrr / n, sum_.recall / n, sum_.average_precision / n};
}

} // namespace supportnlp::search
