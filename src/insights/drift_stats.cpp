// The statistics behind drift: Jensen-Shannon distance, PSI, the two-sample
// Kolmogorov-Smirnov test, ROC AUC with its Mann-Whitney p-value, and Holm's
// adjustment. Small, exact and checked by hand in the unit tests.
#include "supportnlp/insights/drift.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace supportnlp::insights {

namespace {

std::vector<double> normalised(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v)
    sum += std::max(0.0, x);
  std::vector<double> out(v.size(), 0.0);
  if (sum > 0)
    for (std::size_t i = 0; i < v.size(); ++i)
      out[i] = std::max(0.0, v[i]) / sum;
  return out;
}

// Mid-ranks (1-based) of `scores`, and the tie term sum(t^3 - t).
std::vector<double> mid_ranks(const std::vector<double>& scores, double& tie_term) {
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  std::vector<double> ranks(n, 0.0);
  tie_term = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && scores[order[j + 1]] == scores[order[i]])
      ++j;
    const double rank = 0.5 * (double(i + 1) + double(j + 1));
    for (std::size_t k = i; k <= j; ++k)
      ranks[order[k]] = rank;
    const double t = double(j - i + 1);
    tie_term += t * t * t - t;
    i = j + 1;
  }
  return ranks;
}

} // namespace

double js_distance(const std::vector<double>& p_in, const std::vector<double>& q_in) {
  if (p_in.size() != q_in.size()) return 0;
  const auto p = normalised(p_in), q = normalised(q_in);
  double sum_p = 0, sum_q = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    sum_p += p[i];
    sum_q += q[i];
  }
  if (sum_p == 0 || sum_q == 0) return 0;
  double jsd = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double m = 0.5 * (p[i] + q[i]);
    if (p[i] > 0) jsd += 0.5 * p[i] * std::log2(p[i] / m);
    if (q[i] > 0) jsd += 0.5 * q[i] * std::log2(q[i] / m);
  }
  return std::sqrt(std::min(1.0, std::max(0.0, jsd)));
}

double population_stability_index(const std::vector<double>& reference,
                                  const std::vector<double>& current, double epsilon) {
  if (reference.size() != current.size()) return 0;
  const auto r = normalised(reference), c = normalised(current);
  double psi = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const double ri = std::max(r[i], epsilon), ci = std::max(c[i], epsilon);
    psi += (ci - ri) * std::log(ci / ri);
  }
  return psi;
}

double kolmogorov_q(double lambda) {
  if (!(lambda > 0)) return 1.0;
  if (lambda < 0.2) return 1.0; // the series converges slowly here; Q is 1 to 1e-20
  const double a2 = -2.0 * lambda * lambda;
  double fac = 2.0, sum = 0.0, previous = 0.0;
  for (int k = 1; k <= 100; ++k) {
    const double term = fac * std::exp(a2 * k * k);
    sum += term;
    if (std::fabs(term) <= 1e-10 * previous || std::fabs(term) <= 1e-16 * sum) break;
    fac = -fac;
    previous = std::fabs(term);
  }
  return std::min(1.0, std::max(0.0, sum));
}

KsResult ks_two_sample(std::vector<double> a, std::vector<double> b) {
  KsResult r;
  if (a.empty() || b.empty()) return r;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double na = double(a.size()), nb = double(b.size());
  std::size_t i = 0, j = 0;
  double d = 0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == x)
      ++i;
    while (j < b.size() && b[j] == x)
      ++j;
    d = std::max(d, std::fabs(double(i) / na - double(j) / nb));
  }
  r.statistic = d;
  const double en = std::sqrt(na * nb / (na + nb));
  r.p_value = kolmogorov_q((en + 0.12 + 0.11 / en) * d);
  return r;
}

double roc_auc(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels) {
  if (scores.size() != labels.size()) return 0.5;
  double tie_term = 0;
  const auto ranks = mid_ranks(scores, tie_term);
  double n_pos = 0, rank_sum = 0;
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i]) {
      ++n_pos;
      rank_sum += ranks[i];
    }
  const double n_neg = double(labels.size()) - n_pos;
  if (n_pos == 0 || n_neg == 0) return 0.5;
  return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg);
}

double auc_p_value(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels) {
  if (scores.size() != labels.size()) return 1.0;
  double tie_term = 0;
  const auto ranks = mid_ranks(scores, tie_term);
  double n_pos = 0, rank_sum = 0;
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i]) {
      ++n_pos;
      rank_sum += ranks[i];
    }
  const double n = double(labels.size()), n_neg = n - n_pos;
  if (n_pos == 0 || n_neg == 0 || n < 3) return 1.0;
  const double u = rank_sum - n_pos * (n_pos + 1) / 2;
  const double mean = n_pos * n_neg / 2;
  const double variance = n_pos * n_neg / 12 * ((n + 1) - tie_term / (n * (n - 1)));
  if (!(variance > 0)) return 1.0;
  const double z = (u - mean - 0.5) / std::sqrt(variance); // continuity correction
  return std::min(1.0, std::max(0.0, 0.5 * std::erfc(z / std::sqrt(2.0))));
}

std::vector<double> holm_adjust(const std::vector<double>& p) {
  const std::size_t m = p.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> out(m, 1.0);
  double running = 0;
  for (std::size_t k = 0; k < m; ++k) {
    const double v = std::min(1.0, double(m - k) * std::max(0.0, p[order[k]]));
    running = std::max(running, v);
    out[order[k]] = running;
  }
  return out;
}

} // namespace supportnlp::insights
