// StaticEncoder::train: vocabulary and SIF weights from feature counts, then
// InfoNCE with in-batch negatives on (anchor, paraphrase) pairs, sparse
// AdaGrad on the touched rows, and finally the first principal component.
//
// Determinism: every phase is split over threads so that each value is
// computed by exactly one thread in a fixed order (texts by index, row
// gradients by row % threads in batch order), so a seed gives the same model
// for any thread count.
#include "embed/static_encoder_impl.hpp"

#include "cpu/parallel_for.hpp"

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <random>
#include <unordered_map>

namespace supportnlp::embed {
namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Result<void> check(const StaticEncoderTrainOptions& o) {
  auto bad = [](const std::string& what) {
    return Result<void>(make_error(ErrorCode::invalid_argument, "train encoder: " + what));
  };
  if (o.dim < 8 || o.dim > 4096) return bad("dim must be in 8..4096");
  if (o.max_features < 1) return bad("max_features must be positive");
  if (o.min_count < 1) return bad("min_count must be at least 1");
  if (o.word_ngrams < 1 || o.word_ngrams > 2) return bad("word_ngrams must be 1 or 2");
  if (o.char_ngram_min < 0 || o.char_ngram_max > 16 ||
      (o.char_ngram_min > 0 && o.char_ngram_max < o.char_ngram_min))
    return bad("character n-gram range must satisfy 0 <= min <= max <= 16");
  if (o.hash_buckets < 1) return bad("hash_buckets must be at least 1");
  if (o.epochs < 0 || o.epochs > 10000) return bad("epochs must be in 0..10000");
  if (o.batch_size < 2 || o.batch_size > 65536) return bad("batch_size must be in 2..65536");
  if (!(o.temperature > 0.0f) || !(o.learning_rate > 0.0f) || !(o.sif_a > 0.0f))
    return bad("temperature, learning_rate and sif_a must be positive");
  if (o.threads < 1 || o.threads > 256) return bad("threads must be in 1..256");
  return {};
}

// One training text: its table rows, one per feature occurrence.
struct Sample {
  std::vector<std::int32_t> rows;
  std::vector<float> coef; // feature value times SIF weight, per row
  int group = -1;
};

struct Trainer {
  explicit Trainer(const StaticEncoderTrainOptions& options) : o(options) {}
  const StaticEncoderTrainOptions& o;
  int d = 0;
  int threads = 1;
  std::vector<Sample> samples;
  std::vector<float> weight; // SIF weight per row
  Matrix table;              // rows x d
  Matrix adagrad;            // rows x d, sum of squared gradients

  // Unnormalised pooled vector of sample s into out.
  void pool(const Sample& s, float* out) const {
    Eigen::Map<Eigen::VectorXf> x(out, d);
    x.setZero();
    for (std::size_t k = 0; k < s.rows.size(); ++k)
      x += s.coef[k] * table.row(s.rows[k]).transpose();
  }

  // One InfoNCE step on anchors a[i] and positives p[i]; returns the loss.
  double step(const std::vector<int>& a, const std::vector<int>& p, Matrix& x, Matrix& u,
              Eigen::VectorXf& norms, std::vector<std::vector<float>>& grad_rows,
              std::vector<std::vector<std::int32_t>>& slot_of_row,
              std::vector<std::vector<std::int32_t>>& touched) {
    const int b = static_cast<int>(a.size());
    const int n = 2 * b;
    auto sample_of = [&](int i) -> const Sample& { return samples[i < b ? a[i] : p[i - b]]; };
    cpu::parallel_for(static_cast<std::size_t>(n), threads, [&](std::size_t k, int) {
      const int i = static_cast<int>(k);
      pool(sample_of(i), x.row(i).data());
      norms[i] = std::max(x.row(i).norm(), 1e-6f);
      u.row(i) = x.row(i) / norms[i];
    });
    const float inv_t = 1.0f / o.temperature;
    Matrix s = u.topRows(b) * u.bottomRows(b).transpose() * inv_t;
    // dS = ((row softmax - I) + (column softmax - I)) / (2b); loss likewise.
    Matrix ds(b, b);
    double loss = 0.0;
    for (int i = 0; i < b; ++i) {
      const float m = s.row(i).maxCoeff();
      Eigen::RowVectorXf e = (s.row(i).array() - m).exp();
      const float z = e.sum();
      ds.row(i) = e / z;
      loss -= std::log(std::max(e[i] / z, 1e-30f));
    }
    for (int j = 0; j < b; ++j) {
      const float m = s.col(j).maxCoeff();
      Eigen::VectorXf e = (s.col(j).array() - m).exp();
      const float z = e.sum();
      ds.col(j) += e / z;
      loss -= std::log(std::max(e[j] / z, 1e-30f));
    }
    ds.diagonal().array() -= 2.0f;
    ds /= static_cast<float>(2 * b);
    loss /= 2.0 * b;
    Matrix du(n, d);
    du.topRows(b) = ds * u.bottomRows(b) * inv_t;
    du.bottomRows(b) = ds.transpose() * u.topRows(b) * inv_t;
    // Through the normalisation: dx = (du - u (u . du)) / |x|.
    for (int i = 0; i < n; ++i) {
      const float dot = u.row(i).dot(du.row(i));
      du.row(i) = (du.row(i) - dot * u.row(i)) / norms[i];
    }
    const float lr = o.learning_rate;
    cpu::run_threads(threads, [&](int t) {
      auto& slots = slot_of_row[t];
      auto& grads = grad_rows[t];
      auto& rows = touched[t];
      rows.clear();
      for (int i = 0; i < n; ++i) {
        const Sample& smp = sample_of(i);
        for (std::size_t f = 0; f < smp.rows.size(); ++f) {
          const std::int32_t r = smp.rows[f];
          if (r % threads != t) continue;
          if (slots[r] < 0) {
            slots[r] = static_cast<std::int32_t>(rows.size());
            rows.push_back(r);
            if (grads.size() < rows.size() * d) grads.resize(rows.size() * d * 2);
            std::fill_n(grads.begin() + (rows.size() - 1) * d, d, 0.0f);
          }
          Eigen::Map<Eigen::RowVectorXf> g(grads.data() + slots[r] * d, d);
          g += smp.coef[f] * du.row(i);
        }
      }
      for (std::size_t k = 0; k < rows.size(); ++k) {
        const std::int32_t r = rows[k];
        Eigen::Map<Eigen::RowVectorXf> g(grads.data() + k * d, d);
        adagrad.row(r).array() += g.array().square();
        table.row(r).array() -= lr * g.array() / (adagrad.row(r).array().sqrt() + 1e-8f);
        slots[r] = -1;
      }
    });
    return loss;
  }
};

std::string hex(std::uint32_t v) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08x", v);
  return buffer;
}

} // namespace

Result<StaticEncoder> StaticEncoder::train(const StaticEncoderTrainOptions& o) {
  if (auto ok = check(o); !ok) return ok.error();
  const auto started = std::chrono::steady_clock::now();
  FeatureConfig config;
  config.word_ngrams = o.word_ngrams;
  config.char_ngram_min = o.char_ngram_min;
  config.char_ngram_max = o.char_ngram_max;
  config.buckets = o.hash_buckets;
  config.seed = o.hash_seed;

  // Texts and their groups: examples by label, pairs by their first text.
  std::vector<std::string_view> texts;
  std::vector<int> group_of;
  std::unordered_map<std::string, int> groups;
  auto group_id = [&](const std::string& key) {
    return groups.emplace(key, static_cast<int>(groups.size())).first->second;
  };
  std::uint32_t data_crc = 0;
  for (const auto& e : o.examples) {
    texts.push_back(e.text);
    group_of.push_back(group_id("e\x1f" + e.group));
    data_crc = io::crc32(e.text.data(), e.text.size(), data_crc);
    data_crc = io::crc32(e.group.data(), e.group.size(), data_crc);
  }
  std::unordered_map<std::string_view, bool> first_seen;
  for (const auto& pr : o.pairs) {
    const int g = group_id("p\x1f" + pr.first);
    if (first_seen.emplace(pr.first, true).second) {
      texts.push_back(pr.first);
      group_of.push_back(g);
    }
    texts.push_back(pr.second);
    group_of.push_back(g);
    data_crc = io::crc32(pr.first.data(), pr.first.size(), data_crc);
    data_crc = io::crc32(pr.second.data(), pr.second.size(), data_crc);
  }
  for (const auto& c : o.corpus) {
    texts.push_back(c);
    group_of.push_back(-1);
    data_crc = io::crc32(c.data(), c.size(), data_crc);
  }
  if (texts.empty()) return make_error(ErrorCode::invalid_data, "train encoder: no texts");

  // Features of every text, in parallel.
  const features::NgramExtractor extractor(ngram_options(config));
  std::vector<features::SparseFeatures> found(texts.size());
  cpu::parallel_for(texts.size(), o.threads,
                    [&](std::size_t i, int) { extract_features(texts[i], extractor, found[i]); });
  // Frequencies for the SIF weights: texts containing each feature.
  std::unordered_map<std::uint64_t, std::uint64_t> counts;
  std::uint64_t total = 0;
  for (const auto& f : found)
    for (std::uint32_t key : f.index) {
      ++counts[key];
      ++total;
    }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> vocab; // (count, key)
  for (const auto& [key, count] : counts)
    if (count >= static_cast<std::uint64_t>(o.min_count)) vocab.emplace_back(count, key);
  std::sort(vocab.begin(), vocab.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  if (vocab.size() > static_cast<std::size_t>(o.max_features)) vocab.resize(o.max_features);
  if (vocab.empty())
    return make_error(ErrorCode::invalid_data,
                      "train encoder: no feature occurs min_count times; give more text");
  const int rows = static_cast<int>(vocab.size());
  std::unordered_map<std::uint64_t, std::int32_t> row_of;
  row_of.reserve(vocab.size() * 2);
  for (int r = 0; r < rows; ++r)
    row_of.emplace(vocab[r].second, r);

  Trainer tr(o);
  tr.d = o.dim;
  tr.threads = o.threads;
  tr.weight.resize(rows);
  for (int r = 0; r < rows; ++r) {
    const double p = static_cast<double>(vocab[r].first) / static_cast<double>(total);
    tr.weight[r] = static_cast<float>(o.sif_a / (o.sif_a + p));
  }
  tr.samples.resize(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    tr.samples[i].group = group_of[i];
    for (std::size_t k = 0; k < found[i].size(); ++k)
      if (auto it = row_of.find(found[i].index[k]); it != row_of.end()) {
        tr.samples[i].rows.push_back(it->second);
        tr.samples[i].coef.push_back(found[i].value[k] * tr.weight[it->second]);
      }
    found[i] = features::SparseFeatures();
  }

  // Random small vectors: untrained, the encoder is a random projection of
  // the weighted bag of features, i.e. a lexical similarity to start from.
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<float> normal(0.0f, 1.0f / std::sqrt(static_cast<float>(o.dim)));
  tr.table.resize(rows, o.dim);
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < o.dim; ++j)
      tr.table(r, j) = normal(rng);
  tr.adagrad = Matrix::Zero(rows, o.dim);

  // Groups with at least two usable texts give (anchor, positive) pairs.
  std::vector<std::vector<int>> members(groups.size());
  for (std::size_t i = 0; i < texts.size(); ++i)
    if (group_of[i] >= 0 && !tr.samples[i].rows.empty())
      members[group_of[i]].push_back(static_cast<int>(i));
  std::vector<int> anchors;
  for (const auto& m : members)
    if (m.size() >= 2) anchors.insert(anchors.end(), m.begin(), m.end());
  if (anchors.empty() && o.epochs > 0)
    return make_error(ErrorCode::invalid_data,
                      "train encoder: no group or pair has two texts with known features");
  std::size_t usable_groups = 0;
  for (const auto& m : members)
    usable_groups += m.size() >= 2;
  const int batch = static_cast<int>(std::min<std::size_t>(o.batch_size, usable_groups));

  Matrix x(2 * batch, o.dim), u(2 * batch, o.dim);
  Eigen::VectorXf norms(2 * batch);
  std::vector<std::vector<float>> grad_rows(o.threads);
  std::vector<std::vector<std::int32_t>> slot_of_row(o.threads,
                                                     std::vector<std::int32_t>(rows, -1));
  std::vector<std::vector<std::int32_t>> touched(o.threads);
  std::vector<int> stamp(groups.size(), -1);
  double last_loss = 0.0;
  int batch_no = 0;
  for (int epoch = 1; epoch <= o.epochs && batch >= 2; ++epoch) {
    std::shuffle(anchors.begin(), anchors.end(), rng);
    std::deque<int> deferred;
    std::vector<int> a, p;
    double loss_sum = 0.0;
    int steps = 0;
    std::size_t next = 0;
    while (true) {
      a.clear();
      p.clear();
      ++batch_no;
      // Distinct groups per batch, so no in-batch negative is a paraphrase.
      const std::size_t deferred_now = deferred.size();
      for (std::size_t k = 0; k < deferred_now && static_cast<int>(a.size()) < batch; ++k) {
        const int i = deferred.front();
        deferred.pop_front();
        if (stamp[tr.samples[i].group] == batch_no) {
          deferred.push_back(i);
          continue;
        }
        stamp[tr.samples[i].group] = batch_no;
        a.push_back(i);
      }
      while (static_cast<int>(a.size()) < batch && next < anchors.size()) {
        const int i = anchors[next++];
        if (stamp[tr.samples[i].group] == batch_no) {
          deferred.push_back(i);
          continue;
        }
        stamp[tr.samples[i].group] = batch_no;
        a.push_back(i);
      }
      if (static_cast<int>(a.size()) < batch) break; // the rest go to the next epoch's shuffle
      for (int i : a) {
        const auto& m = members[tr.samples[i].group];
        int j = i;
        while (j == i)
          j = m[std::uniform_int_distribution<std::size_t>(0, m.size() - 1)(rng)];
        p.push_back(j);
      }
      loss_sum += tr.step(a, p, x, u, norms, grad_rows, slot_of_row, touched);
      ++steps;
    }
    last_loss = steps ? loss_sum / steps : 0.0;
    if (o.on_progress) {
      EncoderTrainingProgress progress;
      progress.epoch = epoch;
      progress.epochs = o.epochs;
      progress.loss = last_loss;
      progress.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      o.on_progress(progress);
    }
  }

  auto impl = std::make_shared<Impl>();
  impl->set_config(config);
  impl->dim = o.dim;
  impl->rows = rows;
  impl->keys.resize(rows);
  for (int r = 0; r < rows; ++r)
    impl->keys[r] = vocab[r].second;
  impl->owned_f32.resize(static_cast<std::size_t>(rows) * o.dim);
  for (int r = 0; r < rows; ++r)
    Eigen::Map<Eigen::RowVectorXf>(impl->owned_f32.data() + static_cast<std::size_t>(r) * o.dim,
                                   o.dim) = tr.weight[r] * tr.table.row(r);
  impl->f32 = impl->owned_f32.data();
  impl->build_table();

  if (o.remove_principal_component) {
    // First right singular vector of the matrix of (unit) text vectors, by
    // power iteration on its Gram matrix, over up to 20k texts.
    const std::size_t step = std::max<std::size_t>(1, texts.size() / 20000);
    Eigen::MatrixXf gram = Eigen::MatrixXf::Zero(o.dim, o.dim);
    Eigen::VectorXf v(o.dim);
    for (std::size_t i = 0; i < texts.size(); i += step) {
      impl->pool(texts[i], v.data());
      const float nv = v.norm();
      if (nv > 1e-6f) gram.noalias() += (v / nv) * (v / nv).transpose();
    }
    Eigen::VectorXf pc = Eigen::VectorXf::Ones(o.dim).normalized();
    for (int it = 0; it < 100; ++it)
      pc = (gram * pc).normalized();
    if (pc.allFinite()) impl->principal_component.assign(pc.data(), pc.data() + o.dim);
  }

  nlohmann::json meta;
  meta["encoder"] = "static";
  meta["training"] = {{"texts", texts.size()},
                      {"groups", usable_groups},
                      {"examples", o.examples.size()},
                      {"pairs", o.pairs.size()},
                      {"corpus", o.corpus.size()},
                      {"data_crc32", hex(data_crc)},
                      {"epochs", o.epochs},
                      {"batch_size", o.batch_size},
                      {"temperature", o.temperature},
                      {"learning_rate", o.learning_rate},
                      {"sif_a", o.sif_a},
                      {"min_count", o.min_count},
                      {"max_features", o.max_features},
                      {"seed", o.seed},
                      {"final_loss", last_loss}};
  impl->metadata = meta.dump();
  impl->compute_fingerprint();
  return StaticEncoder(std::move(impl));
}

} // namespace supportnlp::embed
