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
  std::vector<std::uint32_t> found;
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
  // Training fits the temperature in a bounded range well inside these.
  impl->temperature = static_cast<float>(r.number("temperature", 1e-3, 1e3));
  impl->length_exponent = static_cast<float>(r.number("length_exponent", -4.0, 4.0));
  if (!r.ok()) return r.error();
  const std::size_t L = impl->languages.size();
  if (L > 255) return corrupt(file, "more than 255 languages");
  if (impl->features.min_order > impl->features.max_order)
    return corrupt(file, "min_order is larger than max_order");

  auto slots = file.require("slots", io::DType::u64, 1);
  auto pairs = file.require("pairs", io::DType::u8, 1);
  auto unseen = file.require("unseen", io::DType::f32, 2);
  auto weight = file.require("order_weight", io::DType::f32, 1);
  auto prior = file.require("prior", io::DType::f32, 1);
  auto share = file.require("script_share", io::DType::u8, 2);
  for (const auto* r : {&slots, &pairs, &unseen, &weight, &prior, &share})
    if (!*r) return r->error();
  const std::int64_t cap = (*slots)->elements() - 1;
  if (cap < 1 || cap > 0x7FFFFFFF || (*pairs)->elements() % 2 != 0)
    return corrupt(file, "feature table sizes disagree");
  if ((*unseen)->shape != std::vector<std::int64_t>{kOrders, static_cast<std::int64_t>(L)} ||
      (*weight)->elements() != kOrders || (*prior)->elements() != static_cast<std::int64_t>(L) ||
      (*share)->shape != std::vector<std::int64_t>{static_cast<std::int64_t>(L), kScriptSlots})
    return corrupt(file, "per-language tensors have the wrong shape");
  impl->capacity = static_cast<std::uint32_t>(cap);
  impl->slots = (*slots)->as<std::uint64_t>();
  impl->pairs = (*pairs)->as<std::uint8_t>();
  // Every slot's pair range must lie inside `pairs` and name a known language,
  // so that inference needs no bounds checks.
  const std::uint64_t n_pairs = static_cast<std::uint64_t>((*pairs)->elements() / 2);
  auto first = [&](std::int64_t i) { return impl->slots[i] >> 40; };
  if (first(0) != 0 || first(cap) != n_pairs || (impl->slots[cap] & 0xFFFFFFFFu) != 0)
    return corrupt(file, "pair offsets do not cover the pair list");
  bool empty_slot = false;
  for (std::int64_t i = 0; i < cap; ++i) {
    if (first(i + 1) < first(i)) return corrupt(file, "pair offsets decrease");
    if ((impl->slots[i] & 0xFFFFFFFFu) == 0) {
      empty_slot = true;
      if (first(i + 1) != first(i)) return corrupt(file, "empty slot with pairs");
    }
  }
  if (!empty_slot) return corrupt(file, "feature table has no empty slot");
  for (std::uint64_t p = 0; p < n_pairs; ++p)
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
  const std::uint8_t* sh = (*share)->as<std::uint8_t>();
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

void LanguageIdentifier::Impl::raw_scores(const langid::TextFeatures& f,
                                          std::vector<std::uint32_t>& found,
                                          std::vector<std::int32_t>& acc,
                                          std::vector<float>& scores) const noexcept {
  using langid::kOrders;
  const std::size_t L = languages.size();
  acc.assign(kOrders * L, 0);
  std::int64_t base_sum[kOrders] = {0, 0, 0, 0, 0, 0};
  std::int64_t count[kOrders] = {0, 0, 0, 0, 0, 0};
  const std::uint64_t* h = f.hashes.data();
  const std::size_t n = f.hashes.size();
  // Pass 1: find the slots (the table is larger than the caches, so the
  // probes of later features are prefetched).
  found.resize(n);
  std::size_t nf = 0;
  constexpr std::size_t kAhead = 12;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(slots + langid::feature_home(h[i + kAhead], capacity));
    const std::uint64_t x = h[i];
    ++count[x & 7];
    const std::uint32_t key = langid::feature_key(x);
    std::uint32_t s = langid::feature_home(x, capacity);
    for (;;) {
      const auto k = static_cast<std::uint32_t>(slots[s]);
      if (k == key) {
        found[nf++] = s | (static_cast<std::uint32_t>(x & 7) << 29);
        break;
      }
      if (k == 0) break;
      if (++s == capacity) s = 0;
    }
  }
  // Pass 2: add the stored gains of the languages listed for each feature.
  constexpr std::size_t kPairsAhead = 4;
  for (std::size_t i = 0; i < nf; ++i) {
    if (i + kPairsAhead < nf)
      __builtin_prefetch(pairs + 2 * (slots[found[i + kPairsAhead] & 0x1FFFFFFF] >> 40));
    const std::uint32_t s = found[i] & 0x1FFFFFFF;
    const int o = static_cast<int>(found[i] >> 29);
    const std::uint64_t v = slots[s];
    const auto b = static_cast<std::int32_t>((v >> 32) & 0xFF);
    base_sum[o] += b;
    std::int32_t* row = acc.data() + static_cast<std::size_t>(o) * L;
    const std::uint8_t* p = pairs + 2 * (v >> 40);
    const std::uint8_t* e = pairs + 2 * (slots[s + 1] >> 40);
    for (; p < e; p += 2)
      row[p[0]] += static_cast<std::int32_t>(p[1]) - b;
  }
  scores.assign(L, 0.0f);
  for (int o = 0; o < kOrders; ++o) {
    if (count[o] == 0) continue;
    const float w = order_weight[static_cast<std::size_t>(o)];
    const float* un = unseen.data() + static_cast<std::size_t>(o) * L;
    const std::int32_t* row = acc.data() + static_cast<std::size_t>(o) * L;
    for (std::size_t l = 0; l < L; ++l)
      scores[l] += w * (static_cast<float>(count[o]) * un[l] +
                        langid::kStep * static_cast<float>(base_sum[o] + row[l]));
  }
}

const langid::ScriptCandidates* LanguageIdentifier::Impl::candidates(const langid::TextFeatures& f,
                                                                     int& dominant) const noexcept {
  dominant = -1;
  std::uint32_t best = 0;
  for (int s = 2; s < langid::kScriptSlots; ++s) {
    if (f.script_letters[static_cast<std::size_t>(s)] > best) {
      best = f.script_letters[static_cast<std::size_t>(s)];
      dominant = s;
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
  langid::extract(text, m.features, s.features);
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
    m.raw_scores(s.features, s.found, s.acc, s.scores);
    float best = -INFINITY;
    for (std::size_t i = 0; i < langs.size(); ++i) {
      s.prob[i] = s.scores[langs[i]] + m.prior[langs[i]];
      best = std::max(best, s.prob[i]);
    }
    const float n = static_cast<float>(std::max<std::size_t>(1, s.features.hashes.size()));
    const float scale = 1.0f / (m.temperature * std::pow(n, m.length_exponent));
    float sum = 0;
    for (auto& p : s.prob) {
      const float z = (p - best) * scale;
      p = z > -40.0f ? std::exp(z) : 0.0f; // also 0 for NaN
      sum += p;
    }
    // Scores that are not finite can only come from a damaged table that
    // passed the loader's checks: answer "undetermined" rather than a
    // probability outside [0, 1].
    if (!(sum >= 1.0f) || !std::isfinite(sum)) return;
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
