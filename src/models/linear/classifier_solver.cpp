// The linear solver of TextClassifier: one-vs-rest L2-regularised
// squared-hinge SVMs by dual coordinate descent (Hsieh et al. 2008, as in
// liblinear -s 1), with early stopping on validation accuracy.
#include "models/linear/classifier_impl.hpp"
#include "cpu/parallel_for.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

namespace supportnlp::models {
namespace {

using cpu::parallel_for;

} // namespace

void score_rows(const SparseRows& rows, const std::vector<float>& w, std::size_t k, std::size_t d,
                std::vector<float>& out) {
  out.assign(rows.size() * k, 0.0f);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < k; ++j) {
      const float* wj = w.data() + j * (d + 1);
      float s = wj[d];
      for (std::size_t e = rows.offset[i]; e < rows.offset[i + 1]; ++e)
        s += wj[rows.col[e]] * rows.val[e];
      out[i * k + j] = s;
    }
}

double accuracy_of(const std::vector<float>& scores, const SparseRows& rows, std::size_t k) {
  if (rows.size() == 0) return 0;
  std::size_t ok = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const float* s = scores.data() + i * k;
    if (static_cast<std::uint32_t>(std::max_element(s, s + k) - s) == rows.label[i]) ++ok;
  }
  return double(ok) / double(rows.size());
}

SvmFit fit_ovr_svm(const SparseRows& tr, const SparseRows& va, std::size_t k, std::size_t d,
                   const ClassifierTrainOptions& opt, int skip_label, int fixed_epochs,
                   const std::function<double()>& elapsed) {
  // Dual coordinate descent, one binary problem per label, labels spread
  // over threads; each label's order comes from its own seeded generator,
  // so the result does not depend on the thread count.
  const std::size_t m = tr.size();
  const double diag = 0.5 / opt.c;
  std::vector<float> qii(m);
  for (std::size_t i = 0; i < m; ++i) {
    double s = 1.0; // bias feature
    for (std::size_t e = tr.offset[i]; e < tr.offset[i + 1]; ++e)
      s += double(tr.val[e]) * tr.val[e];
    qii[i] = static_cast<float>(s + diag);
  }
  std::vector<float> w(k * (d + 1), 0.0f), best_w;
  if (skip_label >= 0) w[static_cast<std::size_t>(skip_label) * (d + 1) + d] = -20.0f;
  std::vector<float> alpha(k * m, 0.0f);
  std::vector<double> violation(k, 0.0);
  std::vector<std::vector<std::uint32_t>> perms(static_cast<std::size_t>(opt.threads));
  std::vector<float> vscores;
  double best_acc = -1;
  int best_epoch = 0, epoch = 0;
  const int max_epochs = fixed_epochs > 0 ? fixed_epochs : opt.max_epochs;
  for (epoch = 1; epoch <= max_epochs; ++epoch) {
    parallel_for(k, opt.threads, [&](std::size_t j, int t) {
      if (static_cast<int>(j) == skip_label) return;
      auto& perm = perms[static_cast<std::size_t>(t)];
      perm.resize(m);
      std::iota(perm.begin(), perm.end(), 0u);
      std::mt19937_64 rng(opt.seed * 0x9E3779B97F4A7C15ull + j * 1000003ull + epoch);
      std::shuffle(perm.begin(), perm.end(), rng);
      float* wj = w.data() + j * (d + 1);
      float* aj = alpha.data() + j * m;
      double maxv = 0;
      for (std::uint32_t i : perm) {
        const float y = tr.label[i] == j ? 1.0f : -1.0f;
        float dot = wj[d];
        for (std::size_t e = tr.offset[i]; e < tr.offset[i + 1]; ++e)
          dot += wj[tr.col[e]] * tr.val[e];
        const double g = y * dot - 1.0 + diag * aj[i];
        const double pg = aj[i] > 0 ? g : std::min(g, 0.0);
        maxv = std::max(maxv, std::abs(pg));
        if (pg == 0) continue;
        const float old = aj[i];
        aj[i] = static_cast<float>(std::max(0.0, old - g / qii[i]));
        const float delta = (aj[i] - old) * y;
        if (delta == 0) continue;
        for (std::size_t e = tr.offset[i]; e < tr.offset[i + 1]; ++e)
          wj[tr.col[e]] += delta * tr.val[e];
        wj[d] += delta;
      }
      violation[j] = maxv;
    });
    score_rows(va, w, k, d, vscores);
    const double acc = accuracy_of(vscores, va, k);
    const double maxv = *std::max_element(violation.begin(), violation.end());
    if (acc > best_acc || va.size() == 0) {
      best_acc = acc;
      best_epoch = epoch;
      best_w = w;
    }
    if (fixed_epochs > 0) continue;
    if (opt.progress) opt.progress({epoch, opt.max_epochs, acc, maxv, elapsed()});
    if (maxv < opt.tolerance) break;
    if (epoch - best_epoch >= opt.patience) break;
  }
  SvmFit fit;
  fit.epochs = std::min(epoch, max_epochs);
  fit.best_epoch = best_epoch;
  fit.w.swap(fixed_epochs > 0 ? w : best_w);
  return fit;
}

} // namespace supportnlp::models
