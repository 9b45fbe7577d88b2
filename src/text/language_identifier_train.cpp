// Training of the language identifier: naive-Bayes counts of hashed
// character n-grams and words per language, feature selection into a
// fixed-size table, and a softmax temperature fitted on held-out samples
// and their 1- and 2-word fragments. Deterministic for any thread count:
// languages are counted independently and merged in language order.
#include "text/language_identifier_impl.hpp"

#include "cpu/parallel_for.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

namespace supportnlp::text {
namespace {

using langid::kOrders;
using langid::kScriptSlots;

struct Entry {
  std::uint64_t hash;
  std::uint32_t train; // count in the samples used to fit the temperature's model
  std::uint32_t calib; // count in the calibration samples
};

struct LanguageCounts {
  std::vector<Entry> entries; // sorted by hash; pruned: train + calib >= min_count
  double n_train[kOrders] = {};
  double n_calib[kOrders] = {};
  std::array<double, kScriptSlots> script{};
  double letters = 0;
  std::size_t lines = 0;
};

bool is_calibration(std::size_t j, std::size_t k) {
  return k > 0 && j % k == k - 1;
}

// The model a writer holds, loaded back as inference reads it.
Result<std::shared_ptr<LanguageIdentifier::Impl>> load_written(const io::ModelWriter& w) {
  auto bytes = w.serialize();
  if (!bytes) return bytes.error();
  auto file = io::ModelFile::from_bytes(bytes.value(), "langid", "<trained langid>");
  if (!file) return file.error();
  return LanguageIdentifier::Impl::from_file(std::move(file.value()));
}

Result<std::shared_ptr<LanguageIdentifier::Impl>>
build(const std::vector<std::string>& langs, const std::vector<LanguageCounts>& counts,
      const LanguageTrainOptions& opt, bool with_calib, float temperature, float exponent,
      const nlohmann::json& extra_meta) {
  const std::size_t L = langs.size();
  struct Tuple {
    std::uint64_t hash;
    std::uint32_t count;
    std::uint32_t lang;
  };
  std::vector<Tuple> all;
  std::size_t total = 0;
  for (const auto& c : counts)
    total += c.entries.size();
  all.reserve(total);
  for (std::size_t l = 0; l < L; ++l)
    for (const auto& e : counts[l].entries) {
      const std::uint32_t c = e.train + (with_calib ? e.calib : 0);
      if (c >= static_cast<std::uint32_t>(opt.min_count))
        all.push_back({e.hash, c, static_cast<std::uint32_t>(l)});
    }
  std::sort(all.begin(), all.end(), [](const Tuple& a, const Tuple& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.lang < b.lang;
  });
  // Per-order totals and vocabulary sizes.
  std::vector<double> n(kOrders * L);
  for (std::size_t l = 0; l < L; ++l)
    for (int o = 0; o < kOrders; ++o)
      n[o * L + l] = counts[l].n_train[o] + (with_calib ? counts[l].n_calib[o] : 0);
  double vocab[kOrders] = {};
  struct Group {
    std::size_t begin, end;
    double importance;
    std::uint64_t hash;
  };
  std::vector<Group> groups;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t e = i;
    double imp = 0;
    const int o = static_cast<int>(all[i].hash & 7);
    while (e < all.size() && all[e].hash == all[i].hash) {
      imp += all[e].count / std::max(1.0, n[o * L + all[e].lang]);
      ++e;
    }
    vocab[o] += 1;
    groups.push_back({i, e, imp, all[i].hash});
    i = e;
  }
  const std::size_t keep = std::min(groups.size(), opt.max_features);
  auto by_importance = [](const Group& a, const Group& b) {
    return a.importance != b.importance ? a.importance > b.importance : a.hash < b.hash;
  };
  if (keep < groups.size()) {
    std::nth_element(groups.begin(), groups.begin() + static_cast<std::ptrdiff_t>(keep),
                     groups.end(), by_importance);
    groups.resize(keep);
  }
  std::sort(groups.begin(), groups.end(),
            [](const Group& a, const Group& b) { return a.hash < b.hash; });
  // Buckets of 8 slots at a load factor of at most 3/4; a feature takes the
  // first free slot of its home bucket or of the next buckets.
  struct Table {
    std::uint32_t buckets;
    std::vector<std::uint32_t> keys;
    std::vector<std::int64_t> group;
  };
  auto place = [&](std::size_t begin, std::size_t end) {
    const std::size_t n = end - begin;
    const auto buckets = static_cast<std::uint32_t>((n + n / 3) / langid::kBucketSlots + 1);
    const std::size_t slots = static_cast<std::size_t>(buckets) * langid::kBucketSlots;
    Table t{buckets, std::vector<std::uint32_t>(slots, 0), std::vector<std::int64_t>(slots, -1)};
    for (std::size_t g = begin; g < end; ++g) {
      std::uint32_t b = langid::feature_home(groups[g].hash, buckets);
      std::size_t s = static_cast<std::size_t>(b) * langid::kBucketSlots;
      while (t.keys[s] != 0)
        if (++s == slots) s = 0;
      t.keys[s] = langid::feature_key(groups[g].hash);
      t.group[s] = static_cast<std::int64_t>(g);
    }
    return t;
  };
  const Table table = place(0, keep);
  const double alpha = opt.alpha;
  // Balanced counts: each language's counts of order o are scaled to the
  // mean total of that order, so that a language with little text is not
  // favoured on unseen features (plain naive Bayes smooths it less).
  double mean_n[kOrders] = {};
  for (int o = 0; o < kOrders; ++o) {
    for (std::size_t l = 0; l < L; ++l)
      mean_n[o] += n[o * L + l];
    mean_n[o] /= static_cast<double>(L);
  }
  auto scaled = [&](const Tuple& t) {
    const int o = static_cast<int>(t.hash & 7);
    if (!opt.balanced) return static_cast<double>(t.count);
    return t.count * mean_n[o] / std::max(1.0, n[o * L + t.lang]);
  };
  auto quantise = [&](double c) {
    const double gain = std::log1p(c / alpha) / langid::kStep;
    return static_cast<std::uint8_t>(std::min(255.0, std::floor(gain + 0.5)));
  };
  std::vector<std::uint32_t> words(static_cast<std::size_t>(table.buckets) * langid::kBucketWords,
                                   0);
  std::vector<std::uint8_t> pairs;
  std::vector<Tuple> row;
  for (std::size_t s = 0; s < table.keys.size(); ++s) {
    if (table.group[s] < 0) continue;
    const Group& g = groups[static_cast<std::size_t>(table.group[s])];
    row.assign(all.begin() + static_cast<std::ptrdiff_t>(g.begin),
               all.begin() + static_cast<std::ptrdiff_t>(g.end));
    std::sort(row.begin(), row.end(), [&](const Tuple& a, const Tuple& b) {
      const double x = scaled(a), y = scaled(b);
      return x != y ? x > y : a.lang < b.lang;
    });
    const std::size_t k =
        std::min<std::size_t>(row.size(), static_cast<std::size_t>(opt.max_languages_per_feature));
    const std::uint32_t base = k < row.size() ? quantise(scaled(row[k])) : 0;
    const std::uint64_t first = pairs.size() / 2;
    if (first + k > langid::kMaxPairs)
      return make_error(ErrorCode::invalid_argument,
                        "train langid: more than 2^20 stored pairs; lower max_features");
    const std::size_t bucket = s / langid::kBucketSlots, j = s % langid::kBucketSlots;
    words[bucket * langid::kBucketWords + j] = table.keys[s];
    words[bucket * langid::kBucketWords + langid::kBucketSlots + j] =
        langid::make_value(base, static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(first));
    for (std::size_t i = 0; i < k; ++i) {
      pairs.push_back(static_cast<std::uint8_t>(row[i].lang));
      pairs.push_back(quantise(scaled(row[i])));
    }
  }

  std::vector<float> unseen(kOrders * L);
  for (int o = 0; o < kOrders; ++o)
    for (std::size_t l = 0; l < L; ++l)
      unseen[o * L + l] =
          static_cast<float>(std::log(alpha) - std::log((opt.balanced ? mean_n[o] : n[o * L + l]) +
                                                        alpha * std::max(1.0, vocab[o])));
  std::vector<float> weights(kOrders, 1.0f);
  weights[0] = static_cast<float>(opt.word_weight);
  for (int o = 1; o < kOrders; ++o)
    weights[o] = static_cast<float>(opt.ngram_weights[o - 1]);
  std::vector<float> prior(L, 0.0f);
  double lines = 0;
  for (const auto& c : counts)
    lines += static_cast<double>(c.lines);
  for (std::size_t l = 0; l < L; ++l)
    prior[l] = static_cast<float>(opt.prior_weight *
                                  std::log(static_cast<double>(counts[l].lines) / lines * L));
  std::vector<std::uint8_t> share(L * kScriptSlots, 0);
  for (std::size_t l = 0; l < L; ++l)
    for (int s = 0; s < kScriptSlots; ++s)
      share[l * kScriptSlots + s] = static_cast<std::uint8_t>(
          std::floor(255.0 * counts[l].script[s] / std::max(1.0, counts[l].letters) + 0.5));

  nlohmann::json meta = extra_meta;
  meta["languages"] = langs;
  meta["min_order"] = opt.min_order;
  meta["max_order"] = opt.max_order;
  meta["max_word_length"] = opt.max_word_length;
  meta["temperature"] = temperature;
  meta["length_exponent"] = exponent;
  meta["layout"] = langid::kTableLayout;
  meta["features"] = keep;
  meta["pairs"] = pairs.size() / 2;
  io::ModelWriter w("langid");
  w.set_metadata(meta.dump());
  w.add_tensor("table", io::DType::u32,
               {static_cast<std::int64_t>(table.buckets), std::int64_t{langid::kBucketWords}},
               words.data(), words.size() * 4);
  w.add_tensor("pairs", io::DType::u8, {static_cast<std::int64_t>(pairs.size())}, pairs.data(),
               pairs.size());
  w.add_tensor("unseen", io::DType::f32, {kOrders, static_cast<std::int64_t>(L)}, unseen.data(),
               unseen.size() * 4);
  w.add_tensor("order_weight", io::DType::f32, {kOrders}, weights.data(), weights.size() * 4);
  w.add_tensor("prior", io::DType::f32, {static_cast<std::int64_t>(L)}, prior.data(),
               prior.size() * 4);
  w.add_tensor("script_share", io::DType::u8, {static_cast<std::int64_t>(L), kScriptSlots},
               share.data(), share.size());
  return load_written(w);
}

// One scored held-out item: candidate scores relative to the best, and the
// position of the true language among them (-1: not a candidate).
struct Item {
  std::vector<float> diffs;
  int truth = -1;
  int best = -1;
  float n = 1;
  int kind = 0; // 0 sentence, 1 word pair, 2 single word
};

// A built model with another pair list (the refined gains), same layout.
Result<std::shared_ptr<LanguageIdentifier::Impl>>
with_pairs(const LanguageIdentifier::Impl& m, const std::vector<std::uint8_t>& pairs) {
  io::ModelWriter w("langid");
  w.set_metadata(m.file.metadata());
  for (const auto& t : m.file.tensors())
    if (t.name == "pairs")
      w.add_tensor(t.name, t.dtype, t.shape, pairs.data(), pairs.size(), t.scale);
    else
      w.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
  return load_written(w);
}

} // namespace

namespace langid {

void fragments(const std::string& s, std::size_t j, std::string& one, std::string& two) {
  std::vector<std::pair<std::size_t, std::size_t>> words;
  std::size_t p = 0;
  while (p < s.size()) {
    while (p < s.size() && s[p] == ' ')
      ++p;
    std::size_t e = p;
    while (e < s.size() && s[e] != ' ')
      ++e;
    if (e > p) words.emplace_back(p, e);
    p = e;
  }
  if (words.size() >= 3) {
    auto w = words[(j * 7 + 1) % words.size()];
    one = s.substr(w.first, w.second - w.first);
    const std::size_t a = (j * 3) % (words.size() - 1);
    two = s.substr(words[a].first, words[a + 1].second - words[a].first);
    return;
  }
  // No spaces (zh, ja, th, ...): windows of code points.
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  starts.push_back(s.size());
  const std::size_t n = starts.size() - 1;
  auto window = [&](std::size_t len) {
    if (n <= len) return s;
    const std::size_t a = (j * 5) % (n - len);
    return s.substr(starts[a], starts[a + len] - starts[a]);
  };
  one = window(2);
  two = window(4);
}

} // namespace langid

Result<LanguageIdentifier> LanguageIdentifier::train(const std::vector<LanguageSample>& samples,
                                                     const LanguageTrainOptions& opt) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  auto report = [&](const char* stage) {
    if (opt.progress)
      opt.progress({stage, std::chrono::duration<double>(clock::now() - t0).count()});
  };
  if (opt.threads < 1 || opt.min_order < 1 || opt.min_order > opt.max_order || opt.max_order < 1 ||
      opt.max_order >= kOrders || opt.max_word_length < 0 || opt.max_features < 1 ||
      opt.max_languages_per_feature < 1 ||
      opt.max_languages_per_feature > langid::kMaxPairsPerFeature || opt.min_count < 1 ||
      !(opt.alpha > 0) || !(opt.calibration_fraction > 0) || opt.calibration_fraction > 0.5 ||
      !std::isfinite(opt.prior_weight) || !(opt.word_weight >= 0) || opt.refine_epochs < 0 ||
      opt.refine_epochs > 100 || !(opt.refine_rate >= 0) || !std::isfinite(opt.refine_rate) ||
      !(opt.refine_margin >= 0) || !std::isfinite(opt.refine_margin) ||
      opt.max_features > (std::size_t{1} << 28) ||
      std::any_of(opt.ngram_weights.begin(), opt.ngram_weights.end(),
                  [](double w) { return !(w >= 0) || !std::isfinite(w); }))
    return make_error(ErrorCode::invalid_argument, "train langid: an option is out of range");
  if (samples.empty()) return make_error(ErrorCode::invalid_data, "train langid: no samples");
  std::map<std::string, std::vector<std::size_t>> by_lang;
  for (std::size_t i = 0; i < samples.size(); ++i)
    by_lang[samples[i].language].push_back(i);
  if (by_lang.size() < 2 || by_lang.size() > 255)
    return make_error(ErrorCode::invalid_data, "train langid: need 2 to 255 languages, got " +
                                                   std::to_string(by_lang.size()));
  std::vector<std::string> langs;
  std::vector<const std::vector<std::size_t>*> members;
  for (const auto& [code, idx] : by_lang) {
    langs.push_back(code);
    members.push_back(&idx);
  }
  const std::size_t L = langs.size();
  const auto k = static_cast<std::size_t>(std::lround(1.0 / opt.calibration_fraction));
  langid::FeatureConfig cfg{opt.min_order, opt.max_order, opt.max_word_length};

  std::vector<LanguageCounts> counts(L);
  cpu::parallel_for_any_order(L, opt.threads, [&](std::size_t l) {
    LanguageCounts& c = counts[l];
    std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> map;
    langid::TextFeatures f;
    const auto& idx = *members[l];
    for (std::size_t j = 0; j < idx.size(); ++j) {
      langid::extract(samples[idx[j]].text, cfg, f);
      const bool calib = is_calibration(j, k);
      for (std::uint64_t h : f.hashes) {
        auto& e = map[h];
        (calib ? e.second : e.first) += 1;
        (calib ? c.n_calib : c.n_train)[h & 7] += 1;
      }
      for (int s = 0; s < kScriptSlots; ++s)
        c.script[s] += f.script_letters[s];
      c.letters += f.letters;
    }
    c.lines = idx.size();
    for (const auto& [h, v] : map)
      if (v.first + v.second >= static_cast<std::uint32_t>(opt.min_count))
        c.entries.push_back({h, v.first, v.second});
    std::sort(c.entries.begin(), c.entries.end(),
              [](const Entry& a, const Entry& b) { return a.hash < b.hash; });
  });
  for (std::size_t l = 0; l < L; ++l)
    if (counts[l].letters == 0)
      return make_error(ErrorCode::invalid_data,
                        "train langid: language '" + langs[l] + "' has no letters in its samples");
  report("count");

  // The discriminative refinement of a built model (refine_gains) on the
  // samples it was counted from, and a 1- and a 2-word fragment of each.
  auto refine = [&](Result<std::shared_ptr<Impl>> m,
                    bool with_calib) -> Result<std::shared_ptr<Impl>> {
    if (!m || opt.refine_epochs == 0) return m;
    std::vector<std::pair<std::size_t, std::size_t>> used; // (language, line)
    for (std::size_t l = 0; l < L; ++l)
      for (std::size_t j = 0; j < members[l]->size(); ++j)
        if (with_calib || !is_calibration(j, k)) used.emplace_back(l, j);
    std::vector<std::string> parts(2 * used.size());
    std::vector<std::string_view> texts;
    std::vector<std::uint8_t> labels;
    for (std::size_t i = 0; i < used.size(); ++i) {
      const auto [l, j] = used[i];
      const std::string& text = samples[(*members[l])[j]].text;
      langid::fragments(text, j, parts[2 * i], parts[2 * i + 1]);
      for (std::string_view t : {std::string_view(text), std::string_view(parts[2 * i]),
                                 std::string_view(parts[2 * i + 1])}) {
        texts.push_back(t);
        labels.push_back(static_cast<std::uint8_t>(l));
      }
    }
    const auto pairs = langid::refine_gains(*m.value(), texts, labels, opt);
    report("refine");
    return with_pairs(*m.value(), pairs);
  };

  // Model without the calibration samples, to score them as unseen text.
  auto held = refine(build(langs, counts, opt, false, 1.0f, 0.0f, nlohmann::json::object()), false);
  if (!held) return held.error();
  const Impl& hm = *held.value();
  std::vector<std::vector<Item>> per_lang(L);
  cpu::parallel_for_any_order(L, opt.threads, [&](std::size_t l) {
    langid::TextFeatures f;
    std::vector<std::int32_t> acc;
    std::vector<std::uint64_t> found;
    std::vector<float> scores;
    std::string one, two;
    const auto& idx = *members[l];
    for (std::size_t j = 0; j < idx.size(); ++j) {
      if (!is_calibration(j, k)) continue;
      const std::string& text = samples[idx[j]].text;
      langid::fragments(text, j, one, two);
      const std::string* texts[3] = {&text, &two, &one};
      for (int kind = 0; kind < 3; ++kind) {
        Item item;
        item.kind = kind;
        langid::extract(*texts[kind], hm.features, f);
        int dominant = -1;
        const auto* cand = hm.candidates(f, dominant);
        if (cand && f.letters > 0) {
          hm.raw_scores(f, nullptr, nullptr, found, acc, scores);
          float best = -INFINITY;
          for (std::size_t i = 0; i < cand->languages.size(); ++i) {
            const std::uint8_t cl = cand->languages[i];
            const float v = scores[cl] + hm.prior[cl];
            item.diffs.push_back(v);
            if (cl == l) item.truth = static_cast<int>(i);
            if (v > best) {
              best = v;
              item.best = static_cast<int>(i);
            }
          }
          for (auto& d : item.diffs)
            d -= best;
          item.n = static_cast<float>(std::max<std::size_t>(1, f.hashes.size()));
        }
        per_lang[l].push_back(std::move(item));
      }
    }
  });
  report("calibrate");
  // Temperature and length exponent: minimum negative log-likelihood of the
  // true language over all held-out items (sentences and fragments alike).
  double best_nll = INFINITY;
  float best_t = 1, best_b = 0;
  for (float b : {0.0f, 0.25f, 0.5f, 0.75f, 1.0f}) {
    for (int ti = 0; ti <= 60; ++ti) {
      const float t = std::pow(10.0f, -2.0f + ti * 0.05f) * std::pow(10.0f, b);
      double nll = 0;
      for (const auto& items : per_lang)
        for (const auto& it : items) {
          if (it.truth < 0 || it.diffs.size() < 2) continue;
          const float scale = 1.0f / (t * std::pow(it.n, b));
          double sum = 0;
          for (float d : it.diffs)
            sum += std::exp(static_cast<double>(d * scale));
          nll += -(it.diffs[static_cast<std::size_t>(it.truth)] * scale) + std::log(sum);
        }
      if (nll < best_nll) {
        best_nll = nll;
        best_t = t;
        best_b = b;
      }
    }
  }
  // Held-out figures with the fitted temperature: accuracy per kind (mean
  // over languages) and expected calibration error (15 bins).
  nlohmann::json metrics;
  const char* kind_names[3] = {"sentences", "word_pairs", "single_words"};
  for (int kind = 0; kind < 3; ++kind) {
    double mean_acc = 0;
    double bins_conf[15] = {}, bins_acc[15] = {}, bins_n[15] = {};
    double total = 0;
    for (std::size_t l = 0; l < L; ++l) {
      double right = 0, n = 0;
      for (const auto& it : per_lang[l]) {
        if (it.kind != kind) continue;
        n += 1;
        const bool ok = it.truth >= 0 && it.truth == it.best;
        right += ok;
        if (it.best < 0) continue;
        double conf = 1;
        if (it.diffs.size() > 1) {
          const float scale = 1.0f / (best_t * std::pow(it.n, best_b));
          double sum = 0;
          for (float d : it.diffs)
            sum += std::exp(static_cast<double>(d * scale));
          conf = 1.0 / sum;
        }
        const int bin = std::min(14, static_cast<int>(conf * 15));
        bins_conf[bin] += conf;
        bins_acc[bin] += ok;
        bins_n[bin] += 1;
        total += 1;
      }
      mean_acc += n > 0 ? right / n : 0;
    }
    double ece = 0;
    for (int b = 0; b < 15; ++b)
      if (bins_n[b] > 0) ece += std::abs(bins_acc[b] - bins_conf[b]) / std::max(1.0, total);
    metrics[kind_names[kind]] = {{"mean_accuracy", mean_acc / static_cast<double>(L)},
                                 {"ece", ece}};
  }
  nlohmann::json meta;
  meta["training"] = {{"samples", samples.size()},
                      {"max_features", opt.max_features},
                      {"max_languages_per_feature", opt.max_languages_per_feature},
                      {"min_count", opt.min_count},
                      {"alpha", opt.alpha},
                      {"prior_weight", opt.prior_weight},
                      {"balanced", opt.balanced},
                      {"word_weight", opt.word_weight},
                      {"ngram_weights", opt.ngram_weights},
                      {"calibration_fraction", opt.calibration_fraction},
                      {"refine_epochs", opt.refine_epochs},
                      {"refine_rate", opt.refine_rate},
                      {"refine_margin", opt.refine_margin}};
  meta["calibration_holdout"] = metrics;
  report("select");
  auto final_model = refine(build(langs, counts, opt, true, best_t, best_b, meta), true);
  if (!final_model) return final_model.error();
  return LanguageIdentifier(std::move(final_model.value()));
}

} // namespace supportnlp::text
