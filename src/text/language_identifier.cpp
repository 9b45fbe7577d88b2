// LanguageIdentifier: loading, saving and inference. Training is in
// language_identifier_train.cpp, feature extraction in
// language_identifier_features.cpp.
#include "text/language_identifier_impl.hpp"

#include "io/checked_fields.hpp"

#include <nlohmann/json.hpp>
#include <unicode/uscript.h>

#include <algorithm>
#include <cmath>

namespace supportnlp::text {
namespace {

Error corrupt(const io::ModelFile& file, const std::string& what) {
  return make_error(ErrorCode::corrupt, file.path() + ": langid model: " + what);
}

struct Scratch {
  langid::TextFeatures features;
  std::vector<std::uint64_t> found;
  std::vector<std::int32_t> acc;
  std::vector<float> scores;
  std::vector<std::uint8_t> order;
  std::vector<float> prob;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

} // namespace

Result<std::shared_ptr<LanguageIdentifier::Impl>>
LanguageIdentifier::Impl::from_file(io::ModelFile file) {
  using langid::kOrders;
  using langid::kScriptSlots;
  auto impl = std::make_shared<Impl>();
  auto meta = nlohmann::json::parse(file.metadata(), nullptr, false);
  if (meta.is_discarded() || !meta.is_object())
    return corrupt(file, "metadata is not a JSON object");
  // Every field is checked for its type and range (io::detail::FieldReader):
  // the checksum only proves the bytes are what some writer wrote.
  io::detail::FieldReader r(meta, file.path());
  impl->languages = r.string_list("languages", 1);
  impl->features.max_order = r.integer<int>("max_order", 1, kOrders - 1);
  impl->features.min_order = r.integer<int>("min_order", 1, kOrders - 1, 1);
  impl->features.max_word_length = r.integer<int>("max_word_length", 0, 1024);
  // Training fits the temperature in a bounded range well inside these, and
  // the length exponent among 0, 0.25, .., 1. With these bounds and the
  // bounded tensors below, every score of inference is finite (see identify).
  impl->temperature = static_cast<float>(r.number("temperature", 1e-3, 1e3));
  impl->length_exponent = static_cast<float>(r.number("length_exponent", 0.0, 1.0));
  const int layout = r.integer<int>("layout", 1, 1000, 1);
  const auto meta_features = r.integer<std::int64_t>("features", 0, std::int64_t{1} << 40);
  const auto meta_pairs = r.integer<std::int64_t>("pairs", 0, std::int64_t{1} << 40);
  if (!r.ok()) return r.error();
  if (layout != langid::kTableLayout)
    return corrupt(file, "feature table layout " + std::to_string(layout) +
                             ", this library reads layout " + std::to_string(langid::kTableLayout) +
                             " (retrain the model)");
  const std::size_t L = impl->languages.size();
  if (L > 255) return corrupt(file, "more than 255 languages");
  if (impl->features.min_order > impl->features.max_order)
    return corrupt(file, "min_order is larger than max_order");

  static const char* const kTensors[] = {"table",        "pairs", "unseen",
                                         "order_weight", "prior", "script_share"};
  for (const auto& t : file.tensors())
    if (std::find_if(std::begin(kTensors), std::end(kTensors),
                     [&](const char* k) { return t.name == k; }) == std::end(kTensors))
      return corrupt(file, "unknown tensor '" + t.name + "'");
  auto table = file.require("table", io::DType::u32, 2);
  auto pairs = file.require("pairs", io::DType::u8, 1);
  auto unseen = file.require("unseen", io::DType::f32, 2);
  auto weight = file.require("order_weight", io::DType::f32, 1);
  auto prior = file.require("prior", io::DType::f32, 1);
  auto share = file.require("script_share", io::DType::u8, 2);
  for (const auto* t : {&table, &pairs, &unseen, &weight, &prior, &share})
    if (!*t) return t->error();
  const std::int64_t buckets = (*table)->shape[0];
  if ((*table)->shape[1] != langid::kBucketWords || buckets < 1 || buckets > 0x7FFFFFFF ||
      (*pairs)->elements() % 2 != 0)
    return corrupt(file, "feature table sizes disagree");
  if ((*unseen)->shape != std::vector<std::int64_t>{kOrders, static_cast<std::int64_t>(L)} ||
      (*weight)->elements() != kOrders || (*prior)->elements() != static_cast<std::int64_t>(L) ||
      (*share)->shape != std::vector<std::int64_t>{static_cast<std::int64_t>(L), kScriptSlots})
    return corrupt(file, "per-language tensors have the wrong shape");
  impl->buckets = static_cast<std::uint32_t>(buckets);
  impl->table = (*table)->as<std::uint32_t>();
  impl->pairs = (*pairs)->as<std::uint8_t>();
  // Every slot's pair range must lie inside `pairs` and name a known
  // language, and every table needs a bucket with an empty slot to end a
  // search, so that inference needs no bounds checks. The counts must match
  // the metadata.
  const std::int64_t n_pairs = (*pairs)->elements() / 2;
  if (n_pairs != meta_pairs)
    return corrupt(file, "metadata says " + std::to_string(meta_pairs) + " pairs, 'pairs' holds " +
                             std::to_string(n_pairs));
  std::int64_t features = 0, listed = 0;
  bool empty_slot = false;
  for (std::int64_t b = 0; b < buckets; ++b) {
    const std::uint32_t* k = impl->table + b * langid::kBucketWords;
    for (std::uint32_t j = 0; j < langid::kBucketSlots; ++j) {
      const std::uint32_t v = k[langid::kBucketSlots + j];
      if (k[j] == 0) {
        if (v != 0) return corrupt(file, "empty slot with a value");
        empty_slot = true;
        continue;
      }
      ++features;
      listed += langid::value_pairs(v);
      if (std::int64_t{langid::value_first(v)} + langid::value_pairs(v) > n_pairs)
        return corrupt(file, "a slot's pairs lie outside the pair list");
    }
  }
  if (!empty_slot) return corrupt(file, "feature table has no empty slot");
  if (features != meta_features)
    return corrupt(file, "metadata says " + std::to_string(meta_features) +
                             " features, the tables hold " + std::to_string(features));
  if (listed != n_pairs)
    return corrupt(file, "the slots' pair counts do not add up to the pair list");
  for (std::int64_t p = 0; p < n_pairs; ++p)
    if (impl->pairs[2 * p] >= L) return corrupt(file, "pair names an unknown language");
  const float* u = (*unseen)->as<float>();
  impl->unseen.assign(u, u + kOrders * L);
  const float* w = (*weight)->as<float>();
  impl->order_weight.assign(w, w + kOrders);
  const float* pr = (*prior)->as<float>();
  impl->prior.assign(pr, pr + L);
  // Log-probabilities and weights of a trained model are small numbers; a
  // bound keeps the sums of inference finite (no overflow to infinity).
  constexpr float kLimit = 1e6f;
  const auto bounded = [&](const std::vector<float>& values) {
    return std::all_of(values.begin(), values.end(),
                       [&](float v) { return std::isfinite(v) && std::fabs(v) <= kLimit; });
  };
  if (!bounded(impl->unseen)) return corrupt(file, "'unseen' holds a non-finite or huge value");
  if (!bounded(impl->order_weight))
    return corrupt(file, "'order_weight' holds a non-finite or huge value");
  if (!bounded(impl->prior)) return corrupt(file, "'prior' holds a non-finite or huge value");

  // Candidates per script: languages with at least 10% of their letters in
  // it; failing that, at least 0.5% (katakana-only text is Japanese although
  // most Japanese letters are kanji and hiragana).
  // script_share[l][s] is the fraction of language l's training letters in
  // script s, times 255 and rounded: a language's fractions add up to at
  // most 1 plus the rounding up of each (0.5 / 255), and some script has
  // letters.
  const std::uint8_t* sh = (*share)->as<std::uint8_t>();
  for (std::size_t l = 0; l < L; ++l) {
    int sum = 0, nonzero = 0;
    for (int s = 0; s < kScriptSlots; ++s) {
      sum += sh[l * kScriptSlots + static_cast<std::size_t>(s)];
      nonzero += sh[l * kScriptSlots + static_cast<std::size_t>(s)] != 0;
    }
    if (sum == 0 || 2 * sum > 2 * 255 + nonzero)
      return corrupt(file, "script shares of '" + impl->languages[l] +
                               "' are not fractions that add up to 1");
  }
  impl->by_script.resize(kScriptSlots);
  for (int s = 2; s < kScriptSlots; ++s) {
    auto& c = impl->by_script[static_cast<std::size_t>(s)].languages;
    for (std::size_t l = 0; l < L; ++l)
      if (sh[l * kScriptSlots + static_cast<std::size_t>(s)] >= 26)
        c.push_back(static_cast<std::uint8_t>(l));
    if (c.empty())
      for (std::size_t l = 0; l < L; ++l)
        if (sh[l * kScriptSlots + static_cast<std::size_t>(s)] >= 2)
          c.push_back(static_cast<std::uint8_t>(l));
  }
  for (std::size_t l = 0; l < L; ++l)
    if (impl->languages[l] == "ja") impl->kana_language = static_cast<int>(l);
  impl->metadata = file.metadata();
  impl->file = std::move(file);
  return impl;
}

std::size_t LanguageIdentifier::Impl::raw_scores(langid::TextFeatures& f, langid::LazyText* lazy,
                                                 const langid::ScriptCandidates* stop_among,
                                                 std::vector<std::uint64_t>& found,
                                                 std::vector<std::int32_t>& acc,
                                                 std::vector<float>& scores) const noexcept {
  using langid::kOrders;
  const std::size_t L = languages.size();
  acc.assign(kOrders * L, 0);
  std::int64_t base_sum[kOrders] = {0, 0, 0, 0, 0, 0};
  std::int64_t count[kOrders] = {0, 0, 0, 0, 0, 0};
  // Scores of all languages from the sums so far. The loop over languages
  // vectorises; each lane does the scalar formula's operations in the same
  // order (no reassociation; the baseline x86-64 build has no FMA), so the
  // scores are bit for bit those of the per-language loop this replaced. The int32 sum is exact: it
  // adds gains <= 255 of at most kMaxFeatures features.
  const auto score_all = [&](float* __restrict out) {
    std::fill(out, out + L, 0.0f);
    for (int o = 0; o < kOrders; ++o) {
      if (count[o] == 0) continue;
      const auto row = static_cast<std::size_t>(o) * L;
      const float w = order_weight[static_cast<std::size_t>(o)];
      const float c = static_cast<float>(count[o]);
      const auto bs = static_cast<std::int32_t>(base_sum[o]);
      const float* __restrict u = unseen.data() + row;
      const std::int32_t* __restrict a = acc.data() + row;
      for (std::size_t l = 0; l < L; ++l)
        out[l] += w * (c * u[l] + langid::kStep * static_cast<float>(bs + a[l]));
    }
  };
  scores.resize(L);
  found.resize(kChunk);
  std::size_t begin = 0;
  bool stopped = false;
  for (;; begin += kChunk) {
    if (lazy && lazy->pos < lazy->text.size() && f.hashes.size() < begin + kChunk)
      lazy->pos = langid::extract_more(lazy->text, lazy->pos, features, f, begin + kChunk);
    // At most kMaxFeatures are scored, so the int32 sums cannot overflow.
    const std::size_t n = std::min(f.hashes.size(), kMaxFeatures);
    if (begin >= n) break;
    const std::size_t end = std::min(n, begin + kChunk);
    const std::uint64_t* h = f.hashes.data();
    const bool more = end < n || (lazy && lazy->pos < lazy->text.size() && n < kMaxFeatures);
    // Pass 1: find the features (the table is larger than the caches, so the
    // buckets of later features are prefetched). found: the values of the
    // features present, with their order above bit 32.
    std::size_t nf = 0;
    constexpr std::size_t kAhead = 8;
    for (std::size_t i = begin; i < end; ++i) {
      if (i + kAhead < end)
        __builtin_prefetch(table +
                           static_cast<std::size_t>(langid::feature_home(h[i + kAhead], buckets)) *
                               langid::kBucketWords);
      const std::uint64_t x = h[i];
      ++count[x & 7];
      std::uint32_t v = 0;
      if (langid::probe(table, buckets, x, v)) found[nf++] = v | ((x & 7) << 32);
    }
    // Pass 2: add the stored gains of the languages listed for each feature
    // (their pairs are prefetched).
    constexpr std::size_t kPairsAhead = 4;
    for (std::size_t i = 0; i < nf; ++i) {
      if (i + kPairsAhead < nf)
        __builtin_prefetch(
            pairs + 2 * langid::value_first(static_cast<std::uint32_t>(found[i + kPairsAhead])));
      const auto v = static_cast<std::uint32_t>(found[i]);
      const auto o = static_cast<std::size_t>(found[i] >> 32);
      const auto b = static_cast<std::int32_t>(langid::value_base(v));
      base_sum[o] += b;
      std::int32_t* row = acc.data() + o * L;
      const std::uint8_t* p = pairs + 2 * static_cast<std::size_t>(langid::value_first(v));
      const std::uint32_t np = langid::value_pairs(v);
      for (std::uint32_t j = 0; j < np; ++j) {
        const std::uint32_t pair = langid::load_pair(p + 2 * j);
        row[pair & 0xFF] += static_cast<std::int32_t>(pair >> 8) - b;
      }
    }
    // Early stop (as CLD2 does): once enough features are in and the leader
    // is ahead of the runner-up by kStopMargin temperatures, the rest of a
    // long text would not change the answer.
    if (stop_among && more && end >= kMinFeaturesBeforeStop) {
      score_all(scores.data());
      float best = -INFINITY, second = -INFINITY;
      for (std::uint8_t l : stop_among->languages) {
        const float s = scores[l] + prior[l];
        if (s > best) {
          second = best;
          best = s;
        } else if (s > second) {
          second = s;
        }
      }
      const float scale = 1.0f / (temperature * std::pow(static_cast<float>(end), length_exponent));
      if ((best - second) * scale >= kStopMargin) {
        begin = end;
        stopped = true;
        break;
      }
    }
  }
  const std::size_t scored = std::min(begin, std::min(f.hashes.size(), kMaxFeatures));
  if (!stopped) score_all(scores.data()); // else the stop test has just computed them
  return scored;
}

const langid::ScriptCandidates* LanguageIdentifier::Impl::candidates(const langid::TextFeatures& f,
                                                                     int& dominant) const noexcept {
  dominant = -1;
  std::uint32_t best = 0;
  // Most texts have letters of one or two scripts: groups of 8 empty slots
  // are skipped (the OR of a group vectorises).
  const std::uint32_t* letters = f.script_letters.data();
  for (int g = 0; g < langid::kScriptSlots; g += 8) {
    std::uint32_t any = 0;
    for (int j = 0; j < 8; ++j)
      any |= letters[g + j];
    if (any == 0) continue;
    for (int s = std::max(g, 2); s < g + 8; ++s) {
      if (letters[s] > best) {
        best = letters[s];
        dominant = s;
      }
    }
  }
  if (dominant < 0) return nullptr;
  const std::uint32_t kana =
      f.script_letters[USCRIPT_HIRAGANA] + f.script_letters[USCRIPT_KATAKANA];
  const std::uint32_t han = f.script_letters[USCRIPT_HAN];
  if (kana_language >= 0 && kana > 0 && kana * 10 >= han &&
      (dominant == USCRIPT_HAN || dominant == USCRIPT_HIRAGANA || dominant == USCRIPT_KATAKANA)) {
    static thread_local langid::ScriptCandidates only;
    only.languages.assign(1, static_cast<std::uint8_t>(kana_language));
    return &only;
  }
  const auto& c = by_script[static_cast<std::size_t>(dominant)];
  return c.languages.empty() ? nullptr : &c;
}

LanguageIdentifier::LanguageIdentifier() = default;
LanguageIdentifier::LanguageIdentifier(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Result<LanguageIdentifier> LanguageIdentifier::load(const std::string& path) {
  auto file = io::ModelFile::open(path, "langid");
  if (!file) return file.error();
  auto impl = Impl::from_file(std::move(file.value()));
  if (!impl) return impl.error();
  return LanguageIdentifier(std::move(impl.value()));
}

Result<void> LanguageIdentifier::save(const std::string& path) const {
  if (!impl_)
    return make_error(ErrorCode::invalid_argument, "cannot save an empty language identifier");
  io::ModelWriter w("langid");
  w.set_metadata(impl_->file.metadata());
  for (const auto& t : impl_->file.tensors())
    w.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
  return w.save(path);
}

const std::vector<std::string>& LanguageIdentifier::languages() const noexcept {
  static const std::vector<std::string> none;
  return impl_ ? impl_->languages : none;
}

bool LanguageIdentifier::knows(std::string_view code) const noexcept {
  for (const auto& l : languages())
    if (l == code) return true;
  return false;
}

const std::string& LanguageIdentifier::metadata() const noexcept {
  static const std::string empty = "{}";
  return impl_ ? impl_->metadata : empty;
}

LanguageResult LanguageIdentifier::identify(std::string_view text, std::size_t top_k) const {
  LanguageResult r;
  identify(text, top_k, r);
  return r;
}

void LanguageIdentifier::identify(std::string_view text, std::size_t top_k,
                                  LanguageResult& out) const {
  out.code.assign("und");
  out.confidence = 0;
  out.undetermined = true;
  out.top.clear();
  out.script.clear();
  out.repaired_utf8 = false;
  if (!impl_) return;
  const Impl& m = *impl_;
  Scratch& s = scratch();
  // Letters and scripts of the whole text first; its features only as far
  // as scoring needs them (raw_scores may stop early).
  langid::count_letters(text, s.features);
  out.repaired_utf8 = s.features.repaired_utf8;
  int dominant = -1;
  const langid::ScriptCandidates* cand = m.candidates(s.features, dominant);
  if (dominant >= 0) out.script.assign(langid::script_name(dominant));
  if (!cand || s.features.letters == 0) return;
  const auto& langs = cand->languages;
  s.prob.resize(langs.size());
  if (langs.size() == 1) {
    s.prob[0] = 1.0f;
  } else {
    langid::LazyText lazy{text, 0};
    const std::size_t scored = m.raw_scores(s.features, &lazy, cand, s.found, s.acc, s.scores);
    float best = -INFINITY;
    for (std::size_t i = 0; i < langs.size(); ++i) {
      s.prob[i] = s.scores[langs[i]] + m.prior[langs[i]];
      best = std::max(best, s.prob[i]);
    }
    // The loader bounds every term: |unseen|, |weight|, |prior| <= 1e6,
    // gains <= 255, at most kMaxFeatures features, temperature in
    // [1e-3, 1e3] and length exponent in [0, 1]. So every score is finite
    // (below about 1e19), scale is in (0, 1e3], z is finite and <= 0, the
    // best z is 0 and 1 <= sum <= number of candidates.
    const float n = static_cast<float>(std::max<std::size_t>(1, scored));
    const float scale = 1.0f / (m.temperature * std::pow(n, m.length_exponent));
    float sum = 0;
    for (auto& p : s.prob) {
      const float z = (p - best) * scale;
      p = z > -40.0f ? std::exp(z) : 0.0f;
      sum += p;
    }
    for (auto& p : s.prob)
      p /= sum;
  }
  s.order.resize(langs.size());
  for (std::size_t i = 0; i < langs.size(); ++i)
    s.order[i] = static_cast<std::uint8_t>(i);
  const std::size_t k = std::min(std::max<std::size_t>(top_k, 1), langs.size());
  std::partial_sort(s.order.begin(), s.order.begin() + static_cast<std::ptrdiff_t>(k),
                    s.order.end(), [&](std::uint8_t a, std::uint8_t b) {
                      if (s.prob[a] != s.prob[b]) return s.prob[a] > s.prob[b];
                      return langs[a] < langs[b];
                    });
  out.undetermined = false;
  out.code.assign(m.languages[langs[s.order[0]]]);
  out.confidence = s.prob[s.order[0]];
  const std::size_t shown = std::min(top_k, k);
  out.top.resize(shown);
  for (std::size_t i = 0; i < shown; ++i) {
    out.top[i].code.assign(m.languages[langs[s.order[i]]]);
    out.top[i].probability = s.prob[s.order[i]];
  }
}

} // namespace supportnlp::text
