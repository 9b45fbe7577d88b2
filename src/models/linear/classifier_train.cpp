// Training of TextClassifier: features, the linear solver
// (classifier_solver.cpp), an optional refit on train + validation,
// temperature scaling and the out-of-scope threshold fitted on validation
// data.
#include "models/linear/classifier_impl.hpp"
#include "cpu/parallel_for.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <thread>

namespace supportnlp::models {
namespace {

constexpr std::uint32_t kUnseen = 0xffffffffu;

using Rows = SparseRows;

using cpu::parallel_for;

// Raw hashed features of each text, in parallel; per-text vectors.
std::vector<features::SparseFeatures> extract_all(const std::vector<LabeledText>& data,
                                                  const features::NgramExtractor& ex,
                                                  const text::Tokenizer& tok, int threads) {
  std::vector<features::SparseFeatures> out(data.size());
  std::vector<text::TokenizedText> tt(static_cast<std::size_t>(std::max(1, threads)));
  parallel_for(data.size(), threads, [&](std::size_t i, int t) {
    tok.tokenize(data[i].text, tt[static_cast<std::size_t>(t)]);
    ex.extract(tt[static_cast<std::size_t>(t)], out[i]);
    out[i].scratch_.clear();
    out[i].scratch_.shrink_to_fit();
    out[i].scratch_text_.clear();
    out[i].scratch_text_.shrink_to_fit();
  });
  return out;
}

// Weighted, normalised rows over compact columns (unseen buckets dropped
// after normalisation, exactly as at inference).
Rows make_rows(const std::vector<features::SparseFeatures>& raw,
               const std::vector<LabeledText>& data,
               const std::map<std::string, std::uint32_t>& ids,
               const std::vector<std::uint32_t>& col_of_bucket_sorted,
               const std::vector<float>& idf, float default_idf, bool use_idf,
               float word_view_weight) {
  Rows rows;
  std::vector<float> vals;
  std::vector<std::uint32_t> cols;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto& f = raw[i];
    vals.resize(f.size());
    cols.resize(f.size());
    for (std::size_t e = 0; e < f.size(); ++e) {
      auto it =
          std::lower_bound(col_of_bucket_sorted.begin(), col_of_bucket_sorted.end(), f.index[e]);
      const bool seen = it != col_of_bucket_sorted.end() && *it == f.index[e];
      const auto c = seen ? static_cast<std::uint32_t>(it - col_of_bucket_sorted.begin()) : kUnseen;
      float v = f.value[e];
      if (use_idf) v *= seen ? idf[c] : default_idf;
      vals[e] = v;
      cols[e] = c;
    }
    normalize_views(vals.data(), vals.size(), f.word_entries, word_view_weight);
    for (std::size_t e = 0; e < f.size(); ++e)
      if (cols[e] != kUnseen) {
        rows.col.push_back(cols[e]);
        rows.val.push_back(vals[e]);
      }
    rows.offset.push_back(rows.col.size());
    rows.label.push_back(ids.at(data[i].label));
  }
  return rows;
}

struct OosChoice {
  double threshold = 0;
  double objective = -1; // -1: no out-of-scope label or examples to choose on
};

// The out-of-scope confidence threshold on validation probabilities (n x k):
// with opt.oos_keep_accuracy, the highest threshold keeping that share of
// the in-scope accuracy the model has without one (the most out-of-scope
// recall at a bounded cost); else the best in-scope accuracy among
// thresholds reaching opt.oos_min_recall, or the best mix of in-scope
// accuracy and oos recall per opt.oos_recall_weight.
OosChoice choose_oos_threshold(const std::vector<float>& probs, std::size_t k,
                               const std::vector<std::uint32_t>& gold, int oos,
                               const ClassifierTrainOptions& opt) {
  OosChoice choice;
  std::size_t n_oos = 0, n_in = 0;
  for (auto g : gold)
    (static_cast<int>(g) == oos ? n_oos : n_in) += 1;
  if (oos < 0 || n_oos == 0 || n_in == 0) return choice;
  std::vector<float> conf(gold.size());
  std::vector<std::uint32_t> pred(gold.size());
  for (std::size_t i = 0; i < gold.size(); ++i) {
    const float* s = probs.data() + i * k;
    pred[i] = static_cast<std::uint32_t>(std::max_element(s, s + k) - s);
    conf[i] = s[pred[i]];
  }
  // Candidate thresholds: every validation confidence; objective mixes
  // in-scope accuracy and out-of-scope recall.
  std::vector<float> cands(conf);
  cands.push_back(0.0f);
  std::sort(cands.begin(), cands.end());
  cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
  const double wr = opt.oos_min_recall > 0 ? 0.0 : opt.oos_recall_weight;
  std::size_t base_in_ok = 0; // in-scope accuracy with no threshold
  for (std::size_t i = 0; i < gold.size(); ++i)
    base_in_ok += static_cast<int>(gold[i]) != oos && pred[i] == gold[i];
  for (float t : cands) {
    std::size_t in_ok = 0, oos_ok = 0;
    for (std::size_t i = 0; i < gold.size(); ++i) {
      const bool flagged = static_cast<int>(pred[i]) == oos || conf[i] < t;
      if (static_cast<int>(gold[i]) == oos) {
        oos_ok += flagged;
      } else {
        in_ok += !flagged && pred[i] == gold[i];
      }
    }
    if (opt.oos_keep_accuracy > 0) {
      // Candidates rise, and so does recall: the last one within the
      // accuracy budget is the operating point.
      if (double(in_ok) < opt.oos_keep_accuracy * double(base_in_ok)) break;
      choice.threshold = t;
      choice.objective = 0.5 * double(in_ok) / double(n_in) + 0.5 * double(oos_ok) / double(n_oos);
      continue;
    }
    // An operating point (oos_min_recall) rules out thresholds flagging
    // too few out-of-scope texts; among the rest, in-scope accuracy wins.
    if (opt.oos_min_recall > 0 && double(oos_ok) < opt.oos_min_recall * double(n_oos)) continue;
    const double obj =
        (1 - wr) * double(in_ok) / double(n_in) + wr * double(oos_ok) / double(n_oos);
    if (obj > choice.objective + 1e-12) {
      choice.objective = obj;
      choice.threshold = t;
    }
  }
  return choice;
}

// Fits the dense view's temperature on validation cosines and picks its
// mixing weight: opt.dense_weight, or the grid value with the best
// `objective` of the mixed probabilities (when given; else validation
// accuracy), then accuracy, then log loss breaking ties. `probs` (n x k, the
// sparse view's calibrated probabilities) becomes the mixture.
void choose_dense_mix(TextClassifier::Impl& model, std::vector<float> q,
                      const std::vector<std::uint32_t>& gold, const ClassifierTrainOptions& opt,
                      const std::function<double(const std::vector<float>&)>& objective,
                      std::vector<float>& probs) {
  const std::size_t k = model.k, n = gold.size();
  // Cosines lie in [-1, 1]: useful temperatures are far below the sparse
  // scores' ones, hence the lower bound of 0.01.
  const double t = fit_temperature(q, gold, k, 0.01, 5.0);
  for (std::size_t i = 0; i < n; ++i) {
    model.calibrate(q.data() + i * k, t);
    model.keep_oos_share(q.data() + i * k, probs.data() + i * k);
  }
  std::vector<double> grid;
  if (opt.dense_weight >= 0) {
    grid.push_back(opt.dense_weight);
  } else {
    for (int g = 0; g <= 8; ++g)
      grid.push_back(0.1 * g);
  }
  double best_m = 0, best_obj = -1, best_acc = -1, best_nll = 0;
  std::vector<float> mixed(probs.size());
  for (double m : grid) {
    std::size_t ok = 0;
    double loss = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const float* p = probs.data() + i * k;
      const float* r = q.data() + i * k;
      std::size_t arg = 0;
      double best = -1;
      for (std::size_t j = 0; j < k; ++j) {
        const double v = (1 - m) * p[j] + m * r[j];
        if (v > best) best = v, arg = j;
      }
      ok += arg == gold[i];
      loss -= std::log(std::max(1e-12, (1 - m) * p[gold[i]] + m * r[gold[i]]));
    }
    const double acc = double(ok) / double(n);
    double obj = acc;
    if (objective) {
      for (std::size_t i = 0; i < n * k; ++i)
        mixed[i] = static_cast<float>((1 - m) * probs[i] + m * q[i]);
      obj = objective(mixed);
    }
    const auto better = [](double a, double b) { return a > b + 1e-12; };
    const auto same = [](double a, double b) { return std::abs(a - b) <= 1e-12; };
    if (better(obj, best_obj) ||
        (same(obj, best_obj) &&
         (better(acc, best_acc) || (same(acc, best_acc) && loss < best_nll)))) {
      best_obj = obj;
      best_acc = acc;
      best_nll = loss;
      best_m = m;
    }
  }
  const auto mf = static_cast<float>(best_m);
  for (std::size_t i = 0; i < n * k; ++i)
    probs[i] = (1.0f - mf) * probs[i] + mf * q[i];
  model.metrics.dense_weight = best_m;
  model.metrics.dense_temperature = t;
}

} // namespace

Result<TextClassifier> TextClassifier::train(const std::vector<LabeledText>& train_in,
                                             const std::vector<LabeledText>& valid_in,
                                             const ClassifierTrainOptions& opt, std::string kind) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  if (!(opt.c > 0) || opt.max_epochs < 1 || opt.threads < 1 || opt.patience < 1 ||
      opt.features.buckets == 0 || !(opt.validation_fraction >= 0 && opt.validation_fraction < 1) ||
      !(opt.dense_weight <= 1) || (opt.encoder && opt.encoder->dim() < 1))
    return make_error(
        ErrorCode::invalid_argument,
        "training options out of range (need c > 0, max_epochs >= 1, threads >= 1, "
        "patience >= 1, buckets >= 1, 0 <= validation_fraction < 1, dense_weight <= 1, an "
        "encoder of at least one dimension)");
  if (kind.empty()) return make_error(ErrorCode::invalid_argument, "empty model kind");
  if (train_in.empty()) return make_error(ErrorCode::invalid_data, "no training examples");

  std::vector<LabeledText> train_split, valid_split;
  const std::vector<LabeledText>* train = &train_in;
  const std::vector<LabeledText>* valid = &valid_in;
  if (valid_in.empty() && opt.validation_fraction > 0) {
    stratified_split(train_in, opt.validation_fraction, opt.seed, train_split, valid_split);
    train = &train_split;
    valid = &valid_split;
  }

  std::map<std::string, std::uint32_t> ids;
  for (const auto& e : *train)
    ids.emplace(e.label, 0);
  if (ids.size() < 2)
    return make_error(ErrorCode::invalid_data, "training data has " + std::to_string(ids.size()) +
                                                   " label(s); a classifier needs at least two");
  std::vector<std::string> labels;
  for (auto& [label, id] : ids) {
    id = static_cast<std::uint32_t>(labels.size());
    labels.push_back(label);
  }
  for (const auto& e : *valid)
    if (!ids.count(e.label))
      return make_error(ErrorCode::not_found,
                        "validation label '" + e.label + "' does not occur in the training data");
  const std::size_t k = labels.size();

  // Features.
  text::Tokenizer tokenizer;
  features::NgramExtractor extractor(opt.features);
  auto raw_train = extract_all(*train, extractor, tokenizer, opt.threads);
  auto raw_valid = extract_all(*valid, extractor, tokenizer, opt.threads);
  std::vector<std::uint32_t> buckets;
  for (const auto& f : raw_train)
    buckets.insert(buckets.end(), f.index.begin(), f.index.end());
  std::sort(buckets.begin(), buckets.end());
  std::vector<float> df;
  {
    std::vector<std::uint32_t> unique;
    for (std::size_t i = 0; i < buckets.size();) {
      std::size_t j = i;
      while (j < buckets.size() && buckets[j] == buckets[i])
        ++j;
      unique.push_back(buckets[i]);
      df.push_back(static_cast<float>(j - i));
      i = j;
    }
    buckets.swap(unique);
  }
  const std::size_t d = buckets.size();
  const double n = static_cast<double>(train->size());
  std::vector<float> idf(d);
  for (std::size_t c = 0; c < d; ++c)
    idf[c] = static_cast<float>(std::log((1.0 + n) / (1.0 + df[c])) + 1.0);
  const auto default_idf = static_cast<float>(std::log(1.0 + n) + 1.0);
  const auto view_weight =
      static_cast<float>(opt.word_view_weight < 0 ? -1.0 : std::min(1.0, opt.word_view_weight));
  Rows tr = make_rows(raw_train, *train, ids, buckets, idf, default_idf, opt.idf, view_weight);
  Rows va = make_rows(raw_valid, *valid, ids, buckets, idf, default_idf, opt.idf, view_weight);
  raw_train.clear();
  raw_valid.clear();

  // Without an out-of-scope scorer, the oos label keeps zero weights and a
  // bias far below any margin, so it is never the argmax; its examples stay
  // negatives for every in-scope label.
  int skip_label = -1;
  if (!opt.oos_as_class && !opt.oos_label.empty()) {
    auto it = ids.find(opt.oos_label);
    if (it != ids.end()) skip_label = static_cast<int>(it->second);
  }
  // Dense view: an encoder and label centroids from the training split only,
  // so that validation scores them as unseen texts.
  struct Dense {
    std::string encoder_bytes; // a learned encoder; empty for a frozen one
    std::vector<float> centroids;
    std::size_t dim = 0;
    bool frozen = false; // opt.encoder's view
  };
  // A frozen encoder encodes each text once, in batches; centroids (of the
  // training split, then of train + validation for the refit) and
  // validation cosines are computed from these vectors.
  std::vector<float> train_vectors, valid_vectors;
  const auto frozen_dim = opt.encoder ? static_cast<std::size_t>(opt.encoder->dim()) : 0;
  if (opt.encoder) {
    train_vectors = encode_all(*opt.encoder, *train);
    valid_vectors = encode_all(*opt.encoder, *valid);
  }
  auto make_dense = [&](const std::vector<LabeledText>& data,
                        const std::vector<std::uint32_t>& label_of) -> Result<Dense> {
    auto encoder = train_dense_encoder(data, opt.oos_label, opt.features, opt.dense_dim,
                                       opt.threads, opt.seed);
    if (!encoder) return encoder.error();
    auto bytes = encoder.value().serialize(embed::WeightStorage::i8);
    if (!bytes) return bytes.error();
    // Centroids of the stored (int8) encoder, the one inference uses.
    auto stored = embed::StaticEncoder::from_bytes(bytes.value(), "<dense view>");
    if (!stored) return stored.error();
    Dense dense;
    dense.dim = static_cast<std::size_t>(stored.value().dim());
    dense.centroids = label_centroids(stored.value(), data, label_of, k, opt.threads);
    dense.encoder_bytes = std::move(bytes.value());
    return dense;
  };
  std::vector<std::uint32_t> train_labels(train->size());
  for (std::size_t i = 0; i < train->size(); ++i)
    train_labels[i] = ids.at((*train)[i].label);
  Dense dense;
  if (opt.encoder) {
    dense.frozen = true;
    dense.dim = frozen_dim;
    dense.centroids =
        centroids_of(train_vectors.data(), train->size(), frozen_dim, train_labels, k);
  } else if (opt.dense_view) {
    // Data with nothing for an encoder to learn (no label with two texts)
    // trains without the dense view rather than failing.
    auto made = make_dense(*train, train_labels);
    if (made) {
      dense = std::move(made.value());
    } else if (made.error().code != ErrorCode::invalid_data) {
      return made.error();
    }
  }

  SvmFit fit = fit_ovr_svm(tr, va, k, d, opt, skip_label, 0, elapsed);
  const int epoch = fit.epochs, best_epoch = fit.best_epoch;
  std::vector<float> w = std::move(fit.w);
  // With refit, the weights that are kept come from training on train and
  // validation together for the number of epochs early stopping chose; the
  // first model is only used for calibration and the threshold (scores on
  // data a model was trained on would be overconfident).
  std::vector<float> refit_w;
  if (opt.refit && va.size() > 0) {
    Rows all = tr;
    for (std::size_t i = 0; i < va.size(); ++i) {
      all.col.insert(all.col.end(), va.col.begin() + static_cast<std::ptrdiff_t>(va.offset[i]),
                     va.col.begin() + static_cast<std::ptrdiff_t>(va.offset[i + 1]));
      all.val.insert(all.val.end(), va.val.begin() + static_cast<std::ptrdiff_t>(va.offset[i]),
                     va.val.begin() + static_cast<std::ptrdiff_t>(va.offset[i + 1]));
      all.offset.push_back(all.col.size());
      all.label.push_back(va.label[i]);
    }
    refit_w = fit_ovr_svm(all, Rows{}, k, d, opt, skip_label, std::max(1, best_epoch), elapsed).w;
  }
  // The refit's encoder (train + validation), trained only if validation
  // gave the dense view a weight.
  auto make_refit_dense = [&]() -> Result<Dense> {
    if (opt.encoder) {
      std::vector<float> all_vectors(train_vectors);
      all_vectors.insert(all_vectors.end(), valid_vectors.begin(), valid_vectors.end());
      std::vector<std::uint32_t> all_labels(train_labels);
      for (const auto& e : *valid)
        all_labels.push_back(ids.at(e.label));
      Dense all;
      all.frozen = true;
      all.dim = frozen_dim;
      all.centroids =
          centroids_of(all_vectors.data(), all_labels.size(), frozen_dim, all_labels, k);
      return all;
    }
    std::vector<LabeledText> all_texts(*train);
    all_texts.insert(all_texts.end(), valid->begin(), valid->end());
    std::vector<std::uint32_t> all_labels(train_labels);
    for (const auto& e : *valid)
      all_labels.push_back(ids.at(e.label));
    return make_dense(all_texts, all_labels);
  };

  // Row-major weights for inference: rows x k (+ int8 with per-row scale),
  // serialised and loaded back, so the trained model is the one a file holds.
  auto build = [&](std::vector<float>& w, const Dense& dense) -> Result<std::shared_ptr<Impl>> {
    io::ModelWriter writer(kind);
    writer.add_tensor("row_buckets", io::DType::u32, {static_cast<std::int64_t>(d)}, buckets.data(),
                      d * sizeof(std::uint32_t));
    if (opt.idf)
      writer.add_tensor("idf", io::DType::f32, {static_cast<std::int64_t>(d)}, idf.data(),
                        d * sizeof(float));
    std::vector<float> bias(k);
    for (std::size_t j = 0; j < k; ++j)
      bias[j] = w[j * (d + 1) + d];
    writer.add_tensor("bias", io::DType::f32, {static_cast<std::int64_t>(k)}, bias.data(),
                      k * sizeof(float));
    const std::vector<std::int64_t> shape{static_cast<std::int64_t>(d),
                                          static_cast<std::int64_t>(k)};
    if (opt.quantize) {
      std::vector<std::int8_t> q(d * k);
      std::vector<float> scale(d);
      for (std::size_t c = 0; c < d; ++c) {
        float mx = 0;
        for (std::size_t j = 0; j < k; ++j)
          mx = std::max(mx, std::abs(w[j * (d + 1) + c]));
        scale[c] = mx > 0 ? mx / 127.0f : 1.0f;
        for (std::size_t j = 0; j < k; ++j)
          q[c * k + j] = static_cast<std::int8_t>(std::lround(w[j * (d + 1) + c] / scale[c]));
      }
      writer.add_tensor("weights", io::DType::i8, shape, q.data(), q.size());
      writer.add_tensor("row_scale", io::DType::f32, {static_cast<std::int64_t>(d)}, scale.data(),
                        d * sizeof(float));
    } else {
      std::vector<float> wt(d * k);
      for (std::size_t c = 0; c < d; ++c)
        for (std::size_t j = 0; j < k; ++j)
          wt[c * k + j] = w[j * (d + 1) + c];
      writer.add_tensor("weights", io::DType::f32, shape, wt.data(), wt.size() * sizeof(float));
    }
    w.clear();
    w.shrink_to_fit();
    if (!dense.encoder_bytes.empty())
      writer.add_tensor("dense_encoder", io::DType::u8,
                        {static_cast<std::int64_t>(dense.encoder_bytes.size())},
                        dense.encoder_bytes.data(), dense.encoder_bytes.size());
    if (!dense.encoder_bytes.empty() || dense.frozen) {
      writer.add_tensor("dense_centroids", io::DType::f32,
                        {static_cast<std::int64_t>(k), static_cast<std::int64_t>(dense.dim)},
                        dense.centroids.data(), dense.centroids.size() * sizeof(float));
    }

    // Provisional metadata; calibration below is fitted on the stored weights.
    auto impl = std::make_shared<Impl>();
    impl->kind = kind;
    impl->labels = labels;
    impl->languages = opt.languages;
    impl->feature_options = extractor.options();
    impl->use_idf = opt.idf;
    impl->default_idf = default_idf;
    impl->word_view_weight = view_weight;
    impl->c = opt.c;
    impl->oos = -1;
    for (std::size_t j = 0; j < k; ++j)
      if (!opt.oos_label.empty() && labels[j] == opt.oos_label) impl->oos = static_cast<int>(j);
    impl->metrics.epochs = epoch;
    impl->metrics.best_epoch = best_epoch;
    impl->metrics.train_examples = train->size();
    impl->metrics.validation_examples = valid->size();
    if (dense.frozen) {
      impl->frozen_encoder = opt.encoder;
      impl->frozen_fingerprint = opt.encoder->fingerprint();
      impl->dense_dim = dense.dim;
    }
    writer.set_metadata(impl->metadata_json());
    auto bytes = writer.serialize();
    if (!bytes) return bytes.error();
    auto file = io::ModelFile::from_bytes(bytes.value(), kind, "<trained " + kind + " model>");
    if (!file) return file.error();
    auto loaded = Impl::from_file(std::move(file.value()), kind, opt.encoder);
    if (!loaded) return loaded.error();
    loaded.value()->metrics = impl->metrics;
    return loaded;
  };
  auto loaded = build(w, dense);
  if (!loaded) return loaded.error();
  Impl& model = *loaded.value();

  // Validation scores of the stored model.
  std::vector<float> scores(valid->size() * k);
  parallel_for(valid->size(), opt.threads, [&](std::size_t i, int) {
    text::TokenizedText tt;
    features::SparseFeatures f;
    model.featurize((*valid)[i].text, tt, f, false);
    model.raw_scores(f, scores.data() + i * k);
  });
  std::vector<std::uint32_t> gold(valid->size());
  for (std::size_t i = 0; i < valid->size(); ++i)
    gold[i] = ids.at((*valid)[i].label);
  model.metrics.validation_accuracy = accuracy_of(scores, va, k);

  // Temperature: golden-section search on log T for minimum validation NLL.
  // Lower bound 0.05: on validation data the model gets all right (e.g.
  // Bitext), the likelihood keeps improving as T -> 0 and would make every
  // answer, right or wrong, certain.
  const double temperature = fit_temperature(scores, gold, k, 0.05, 5.0);
  model.metrics.temperature = temperature;

  // Calibrated confidences, ECE and the out-of-scope threshold.
  std::vector<float> conf(valid->size());
  std::vector<std::uint32_t> pred(valid->size());
  std::vector<char> correct(valid->size());
  for (std::size_t i = 0; i < valid->size(); ++i)
    model.calibrate(scores.data() + i * k, temperature);
  if (model.view_encoder() != nullptr && !valid->empty()) {
    // With out-of-scope examples in validation, the mix is chosen for the
    // operating point the threshold is chosen for; else for accuracy.
    std::function<double(const std::vector<float>&)> objective;
    if (choose_oos_threshold(scores, k, gold, model.oos, opt).objective >= 0)
      objective = [&](const std::vector<float>& p) {
        return choose_oos_threshold(p, k, gold, model.oos, opt).objective;
      };
    std::vector<float> cosines;
    if (model.frozen_encoder) {
      cosines.resize(valid->size() * k);
      for (std::size_t i = 0; i < valid->size(); ++i)
        centroid_scores(model.dense_centroids, k, model.dense_dim,
                        valid_vectors.data() + i * model.dense_dim, cosines.data() + i * k);
    } else {
      cosines =
          centroid_cosines(*model.dense_encoder, model.dense_centroids, k, *valid, opt.threads);
    }
    choose_dense_mix(model, std::move(cosines), gold, opt, objective, scores);
    model.metrics.validation_accuracy = accuracy_of(scores, va, k);
  }
  for (std::size_t i = 0; i < valid->size(); ++i) {
    float* s = scores.data() + i * k;
    pred[i] = static_cast<std::uint32_t>(std::max_element(s, s + k) - s);
    conf[i] = s[pred[i]];
    correct[i] = pred[i] == gold[i];
  }
  model.metrics.validation_ece = expected_calibration_error(conf, correct);
  const double threshold = choose_oos_threshold(scores, k, gold, model.oos, opt).threshold;
  model.metrics.oos_threshold = threshold;
  if (!refit_w.empty()) {
    Dense refit_dense;
    // A frozen encoder's view is kept even at weight 0, so the model always
    // records the encoder it was trained with (no re-encoding needed).
    if (dense.frozen || (!dense.encoder_bytes.empty() && model.metrics.dense_weight > 0)) {
      auto made = make_refit_dense();
      if (!made) return made.error();
      refit_dense = std::move(made.value());
    }
    auto refitted = build(refit_w, refit_dense);
    if (!refitted) return refitted.error();
    refitted.value()->metrics = model.metrics;
    refitted.value()->metrics.train_examples = train->size() + valid->size();
    refitted.value()->refit = true;
    loaded = std::move(refitted);
  }
  loaded.value()->metrics.train_seconds = elapsed();
  return TextClassifier(std::move(loaded.value()));
}

} // namespace supportnlp::models
