#include "supportnlp/features/ngrams.hpp"

#include "cpu/hash.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace supportnlp::features {
namespace {

using text::TokenKind;

// Seeds that keep the feature families apart in the shared bucket space.
constexpr std::uint64_t kWordSeed = 0x9e3779b97f4a7c15ull;
constexpr std::uint64_t kCharSeed = 0xc2b2ae3d27d4eb4full;
constexpr std::uint64_t kAcrossSeed = 0x165667b19e3779f9ull;
// Largest merge table kept between calls (128 KB); a longer text's table
// is given back.
constexpr std::size_t kKeptSlots = std::size_t(1) << 14;

inline std::uint64_t mix64(std::uint64_t x) noexcept {
  // splitmix64 finalizer: spreads FNV's weak low bits over the whole word.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

inline std::uint32_t bucket_of(std::uint64_t h, std::uint32_t buckets) noexcept {
  // Multiply-shift range reduction: uniform without a division.
  return static_cast<std::uint32_t>((static_cast<unsigned __int128>(h) * buckets) >> 64);
}

inline bool is_continuation(unsigned char c) noexcept {
  return (c & 0xc0) == 0x80;
}

const char* entity_name(TokenKind kind) noexcept {
  switch (kind) {
  case TokenKind::number:
    return "<number>";
  case TokenKind::emoji:
    return "<emoji>";
  case TokenKind::url:
    return "<url>";
  case TokenKind::email:
    return "<email>";
  case TokenKind::mention:
    return "<mention>";
  case TokenKind::hashtag:
    return "<hashtag>";
  case TokenKind::id:
    return "<id>";
  case TokenKind::version:
    return "<version>";
  case TokenKind::emoticon:
    return "<emoticon>";
  default:
    return nullptr;
  }
}

// Where a text's entries and occurrences are collected before they are
// copied to the caller's SparseFeatures: sized once for the most a text can
// give (so adding writes through plain pointers, with no capacity check per
// feature) and kept per thread up to kKeptStaging entries, so that
// steady-state extraction neither allocates nor zero-fills.
struct Staging {
  std::vector<std::uint32_t> index;
  std::vector<float> value;
  std::vector<std::uint32_t> used; // table slot of each entry
  std::vector<FeatureOrigin> origins;
};
constexpr std::size_t kKeptStaging = std::size_t(1) << 15;
// This thread's staging areas, one per extraction of a pass.
Staging* stagings() {
  thread_local Staging staging[2];
  return staging;
}

// Merges occurrences as they come in an open-addressing table (bucket + 1 in
// the high half, entry in the low half of each slot), which avoids sorting a
// few hundred occurrences per short text. With origins, each occurrence is
// recorded with the entry it was merged into, so explanations need no sort
// either.
struct Sink {
  SparseFeatures& out;
  std::uint32_t buckets;
  bool origins;
  std::size_t mask = 0;
  std::uint64_t* table = nullptr;
  std::uint32_t* index = nullptr;
  float* value = nullptr;
  std::uint32_t* used = nullptr;
  FeatureOrigin* origin = nullptr;
  std::uint32_t entries = 0;
  std::size_t occurrences = 0;

  // Makes room in `staging` for `most` occurrences (so at most `most`
  // entries).
  void reserve(Staging& staging, std::size_t most) {
    auto fit = [most](auto& v) {
      if (v.size() < most) v.resize(most + most / 2);
    };
    fit(staging.index);
    fit(staging.value);
    fit(staging.used);
    if (origins) fit(staging.origins);
    table = out.scratch_.data();
    index = staging.index.data();
    value = staging.value.data();
    used = staging.used.data();
    origin = staging.origins.data();
  }
  // Copies what was added to `out`.
  void finish() {
    out.index.assign(index, index + entries);
    out.value.assign(value, value + entries);
    if (origins) out.origins.assign(origin, origin + occurrences);
  }
  void add(std::uint64_t hash, std::uint32_t first, std::uint32_t last) {
    const std::uint32_t bucket = bucket_of(hash, buckets);
    std::size_t h = (bucket * 0x9E3779B1u) & mask;
    const std::uint64_t key = static_cast<std::uint64_t>(bucket) + 1;
    for (;;) {
      const std::uint64_t slot = table[h];
      if (slot == 0) break;
      if ((slot >> 32) == key) {
        const auto entry = static_cast<std::uint32_t>(slot);
        value[entry] += 1.0f;
        if (origins) origin[occurrences++] = {entry, first, last};
        return;
      }
      h = (h + 1) & mask;
    }
    const std::uint32_t entry = entries++;
    table[h] = (key << 32) | entry;
    used[entry] = static_cast<std::uint32_t>(h);
    index[entry] = bucket;
    value[entry] = 1.0f;
    if (origins) origin[occurrences++] = {entry, first, last};
    if (2 * static_cast<std::size_t>(entries) > mask) grow();
  }
  void grow() {
    mask = 2 * mask + 1;
    out.scratch_.assign(mask + 1, 0);
    table = out.scratch_.data();
    for (std::uint32_t e = 0; e < entries; ++e) {
      std::size_t h = (index[e] * 0x9E3779B1u) & mask;
      while (table[h] != 0)
        h = (h + 1) & mask;
      table[h] = ((static_cast<std::uint64_t>(index[e]) + 1) << 32) | e;
      used[e] = static_cast<std::uint32_t>(h);
    }
  }
};

// One extraction of a pass over a text: the options it was asked for, the
// sink its features go to, and which n-gram lengths it takes of each family
// (bit n set: length n). A pass hashes each n-gram once, for the union of
// its extractions' lengths, and adds it to each extraction taking it, in the
// order a lone extraction adds it, so each gets exactly its own features.
struct Job {
  const NgramOptions* options;
  Sink* sink;
  std::uint32_t words = 0;  // word n-grams
  std::uint32_t chars = 0;  // char n-grams within words
  std::uint32_t across = 0; // char n-grams across words
};

// Lengths lo..hi as a mask; none for a disabled range (lo < 1 or lo > hi).
std::uint32_t lengths(int lo, int hi) noexcept {
  if (lo < 1 || lo > hi) return 0;
  return static_cast<std::uint32_t>(((std::uint64_t{1} << (hi + 1)) - 1) & ~((1u << lo) - 1));
}
int shortest_of(std::uint32_t mask) noexcept {
  return __builtin_ctz(mask);
}
int longest_of(std::uint32_t mask) noexcept {
  return 31 - __builtin_clz(mask);
}

// Adds feature `hash`, an n-gram of length `n` of family `family`, to each
// job taking that length.
template <std::size_t N>
inline void emit(const std::array<Job, N>& jobs, std::uint32_t Job::*family, int n,
                 std::uint64_t hash, std::uint32_t first, std::uint32_t last) {
  for (const Job& j : jobs)
    if ((j.*family >> n) & 1u) j.sink->add(hash, first, last);
}

// Emits the char n-grams (code point counts in the `family` lengths of the
// jobs, `all` their union) of `s`. With `need_space`, only n-grams
// containing a space are emitted and their token range comes from `starts`
// (byte offset of each word in `s`).
template <std::size_t N>
void char_ngrams(std::string_view s, std::uint32_t all, std::uint64_t seed,
                 const std::array<Job, N>& jobs, std::uint32_t Job::*family, std::uint32_t token,
                 bool skip_marks, const std::uint32_t* starts, const std::uint32_t* token_of,
                 std::size_t nstarts) {
  const int min_n = shortest_of(all), max_n = longest_of(all);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t size = s.size();
  for (std::size_t begin = 0; begin < size; ++begin) {
    if (is_continuation(p[begin])) continue;
    std::uint64_t h = seed;
    int count = 0;
    bool has_space = false;
    std::size_t i = begin;
    while (i < size && count < max_n) {
      // Consume one code point.
      do {
        h = cpu::fnv1a_step(h, p[i]);
        has_space |= p[i] == ' ';
        ++i;
      } while (i < size && is_continuation(p[i]));
      ++count;
      if (count < min_n) continue;
      if (skip_marks && count == 1 && (begin == 0 || i == size)) continue; // lone "<" or ">"
      if (starts != nullptr) {
        if (!has_space || p[begin] == ' ' || p[i - 1] == ' ') continue;
        // Token range: words whose start is <= the n-gram's first/last byte.
        auto first = std::upper_bound(starts, starts + nstarts, begin) - starts - 1;
        auto last = std::upper_bound(starts, starts + nstarts, i - 1) - starts - 1;
        emit(jobs, family, count, mix64(h ^ static_cast<std::uint64_t>(count)), token_of[first],
             token_of[last]);
      } else {
        emit(jobs, family, count, mix64(h ^ static_cast<std::uint64_t>(count)), token, token);
      }
    }
  }
}

// The longest normalized word (in bytes) that ascii_word_ngrams() takes.
constexpr std::size_t kShortWord = 62;

// The char n-grams of the word "<" + w + ">" (its normalized form w, at most
// kShortWord bytes, all ASCII, so a code point is a byte), in the order
// char_ngrams() emits them for the same bytes: the same features without
// the code-point bookkeeping or the string buffer.
template <std::size_t N>
void ascii_word_ngrams(std::string_view w, std::uint32_t all, std::uint64_t seed,
                       const std::array<Job, N>& jobs, std::uint32_t token) {
  unsigned char p[kShortWord + 2];
  const std::size_t size = w.size() + 2; // with the marks
  p[0] = '<';
  std::memcpy(p + 1, w.data(), w.size());
  p[size - 1] = '>';
  const auto longest = static_cast<std::size_t>(longest_of(all));
  const auto shortest = static_cast<std::size_t>(shortest_of(all));
  for (std::size_t begin = 0; begin < size; ++begin) {
    // Lengths below `shortest` only extend the hash; a lone "<" or ">" is
    // no feature.
    std::uint64_t h = seed;
    const std::size_t n_max = std::min(size - begin, longest);
    std::size_t n = 1;
    for (; n < shortest && n <= n_max; ++n)
      h = cpu::fnv1a_step(h, p[begin + n - 1]);
    if (n == 1 && n <= n_max) {
      h = cpu::fnv1a_step(h, p[begin]);
      if (begin != 0 && begin != size - 1) emit(jobs, &Job::chars, 1, mix64(h ^ 1u), token, token);
      ++n;
    }
    for (; n <= n_max; ++n) {
      h = cpu::fnv1a_step(h, p[begin + n - 1]);
      emit(jobs, &Job::chars, static_cast<int>(n), mix64(h ^ static_cast<std::uint64_t>(n)), token,
           token);
    }
  }
}

bool is_ascii(std::string_view s) noexcept {
  unsigned char any = 0;
  for (char c : s)
    any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

// Prepares `out` and its sink for a text: the merge table keeps the size the
// last text grew it to (up to kKeptSlots), so that texts of a similar length
// do not grow it from 512 slots on every call (a 300-byte ticket needs 1024:
// the re-inserts and the 8 KB fill were a tenth of extraction); only the
// slots used are cleared for the next text (close()), not the whole table.
// Entries are numbered by first occurrence, so the table's size never
// changes the features.
void open(SparseFeatures& out, Sink& sink) {
  out.clear();
  const std::size_t slots = out.scratch_.size();
  // A table left dirty (an earlier call threw mid-way) is reset.
  if (slots < 512 || slots > kKeptSlots || (slots & (slots - 1)) != 0 ||
      !out.scratch_used_.empty()) {
    out.scratch_.assign(512, 0);
    out.scratch_used_.clear();
  }
  sink.mask = out.scratch_.size() - 1;
  // Marks the table in use until it is left empty at the end (the slots
  // used are kept in the staging area).
  out.scratch_used_.assign(1, 0);
}

// Leaves the table empty for the next text (clears the slots used, whose
// positions were recorded, or gives back a table grown past kKeptSlots),
// copies the features out and weights their counts.
void close(const NgramOptions& o, Sink& sink, Staging& staging, std::size_t most) {
  SparseFeatures& out = sink.out;
  if (sink.mask < kKeptSlots) {
    for (std::uint32_t e = 0; e < sink.entries; ++e)
      sink.table[sink.used[e]] = 0;
  } else {
    out.scratch_.assign(512, 0);
  }
  out.scratch_used_.clear();
  sink.finish();
  if (most > kKeptStaging) staging = Staging{};
  if (o.sublinear_tf)
    for (auto& v : out.value)
      if (v > 1.0f) v = 1.0f + std::log(v);
}

// One pass over `text` for `jobs`, which agree on what the n-grams hash to
// (seed, entity tokens, punctuation: shares_hashes()); `staging` has a
// staging area per job. The n-grams are hashed in the order of a lone
// extraction, so each job gets what NgramExtractor::extract() gives it.
template <std::size_t N>
void extract_jobs(const text::TokenizedText& text, const std::array<Job, N>& jobs,
                  Staging* staging) {
  const NgramOptions& o = *jobs[0].options;
  std::uint32_t words = 0, chars = 0, across = 0; // what any job takes
  for (const Job& j : jobs) {
    open(j.sink->out, *j.sink);
    words |= j.words;
    chars |= j.chars;
    across |= j.across;
  }
  SparseFeatures& first = jobs[0].sink->out; // its buffers serve the pass
  const std::uint64_t seed = static_cast<std::uint64_t>(o.seed) << 17;

  // Word-level units: a hash per kept token, in order, with its token index.
  // Stored in scratch_text_ as raw bytes to avoid a second buffer type.
  const auto ntok = text.tokens.size();
  std::string& units = first.scratch_text_;
  units.clear();
  struct Unit {
    std::uint64_t hash;
    std::uint32_t token;
  };
  for (std::uint32_t t = 0; t < ntok; ++t) {
    const auto& tok = text.tokens[t];
    if (tok.kind == TokenKind::punct && !o.punctuation) continue;
    std::uint64_t h;
    const char* name = o.entity_tokens ? entity_name(tok.kind) : nullptr;
    if (name != nullptr) {
      h = hash_bytes(name, std::strlen(name), seed ^ kWordSeed);
    } else {
      auto norm = text.normalized(tok);
      h = hash_bytes(norm.data(), norm.size(), seed ^ kWordSeed);
    }
    Unit u{h, t};
    units.append(reinterpret_cast<const char*>(&u), sizeof u);
  }
  const std::size_t nunits = units.size() / sizeof(Unit);
  // The most occurrences the text can give a job: every word n-gram, and
  // per token (marks and a joining space included) one char n-gram of each
  // length per starting byte, within words and across them.
  std::size_t norm_bytes = 0;
  for (const auto& tok : text.tokens)
    norm_bytes += tok.norm_end - tok.norm_begin + 2;
  std::array<std::size_t, N> most{};
  for (std::size_t s = 0; s < N; ++s) {
    const Job& j = jobs[s];
    most[s] = nunits * __builtin_popcount(j.words) + norm_bytes * __builtin_popcount(j.chars) +
              norm_bytes * __builtin_popcount(j.across);
    j.sink->reserve(staging[s], most[s]);
  }
  auto unit_at = [&](std::size_t i) {
    Unit u;
    std::memcpy(&u, units.data() + i * sizeof(Unit), sizeof u);
    return u;
  };

  // Word n-grams.
  if (words != 0) {
    const int longest = longest_of(words);
    for (std::size_t i = 0; i < nunits; ++i) {
      std::uint64_t h = seed ^ kWordSeed;
      for (int n = 1; n <= longest && i + n <= nunits; ++n) {
        h = mix64(h ^ unit_at(i + n - 1).hash) + static_cast<std::uint64_t>(n);
        emit(jobs, &Job::words, n, h, unit_at(i).token, unit_at(i + n - 1).token);
      }
    }
  }

  for (const Job& j : jobs)
    j.sink->out.word_entries = j.sink->entries;

  // Char n-grams within words (only plain words, numbers without entity mode).
  if (chars != 0) {
    std::string& buf = first.scratch_text_;
    for (std::uint32_t t = 0; t < ntok; ++t) {
      const auto& tok = text.tokens[t];
      if (tok.kind == TokenKind::punct) continue;
      if (o.entity_tokens && entity_name(tok.kind) != nullptr) continue;
      auto norm = text.normalized(tok);
      if (norm.size() <= kShortWord && is_ascii(norm)) {
        ascii_word_ngrams(norm, chars, seed ^ kCharSeed, jobs, t);
        continue;
      }
      buf.clear();
      buf.push_back('<');
      buf.append(norm.data(), norm.size());
      buf.push_back('>');
      char_ngrams(buf, chars, seed ^ kCharSeed, jobs, &Job::chars, t, true, nullptr, nullptr, 0);
    }
  }

  // Char n-grams across word boundaries: over "w1 w2 w3", those holding a space.
  if (across != 0) {
    std::string& buf = first.scratch_text_;
    buf.clear();
    auto& starts = first.scratch_starts_;
    auto& words_of = first.scratch_words_;
    starts.clear();
    words_of.clear();
    for (std::uint32_t t = 0; t < ntok; ++t) {
      const auto& tok = text.tokens[t];
      if (tok.kind != TokenKind::word) continue;
      if (!buf.empty()) buf.push_back(' ');
      starts.push_back(static_cast<std::uint32_t>(buf.size()));
      words_of.push_back(t);
      auto norm = text.normalized(tok);
      buf.append(norm.data(), norm.size());
    }
    if (words_of.size() >= 2)
      char_ngrams(buf, across, seed ^ kAcrossSeed, jobs, &Job::across, 0, false, starts.data(),
                  words_of.data(), words_of.size());
  }

  for (std::size_t s = 0; s < N; ++s)
    close(*jobs[s].options, *jobs[s].sink, staging[s], most[s]);
}

// The job of extractor options `o` into `sink`.
Job job_of(const NgramOptions& o, Sink& sink) {
  const bool chars = o.char_min_n >= 1 && o.char_min_n <= o.char_max_n;
  return Job{&o, &sink, lengths(o.word_min_n, o.word_max_n), lengths(o.char_min_n, o.char_max_n),
             chars && o.char_across_words ? lengths(std::max(o.char_min_n, 3), o.char_max_n) : 0};
}

} // namespace

std::uint64_t hash_bytes(const void* bytes, std::size_t size, std::uint64_t seed) noexcept {
  return mix64(cpu::fnv1a(bytes, size, seed ^ cpu::kFnvOffsetBasis) ^ size);
}

NgramExtractor::NgramExtractor(NgramOptions options) : options_(options) {
  auto clamp_n = [](int& n) { n = std::clamp(n, 0, 16); };
  clamp_n(options_.word_min_n);
  clamp_n(options_.word_max_n);
  clamp_n(options_.char_min_n);
  clamp_n(options_.char_max_n);
  if (options_.buckets == 0) options_.buckets = 1;
}

void NgramExtractor::extract(const text::TokenizedText& text, SparseFeatures& out,
                             bool with_origins) const {
  Sink sink{out, options_.buckets, with_origins};
  extract_jobs(text, std::array<Job, 1>{job_of(options_, sink)}, stagings());
}

bool NgramExtractor::shares_hashes(const NgramExtractor& other) const noexcept {
  const NgramOptions &a = options_, &b = other.options_;
  return a.seed == b.seed && a.entity_tokens == b.entity_tokens && a.punctuation == b.punctuation;
}

void extract_pair(const text::TokenizedText& text, const NgramExtractor& a, SparseFeatures& out_a,
                  bool origins_a, const NgramExtractor& b, SparseFeatures& out_b) {
  if (!a.shares_hashes(b) || &out_a == &out_b) {
    a.extract(text, out_a, origins_a);
    b.extract(text, out_b);
    return;
  }
  Sink sa{out_a, a.options().buckets, origins_a}, sb{out_b, b.options().buckets, false};
  extract_jobs(text, std::array<Job, 2>{job_of(a.options(), sa), job_of(b.options(), sb)},
               stagings());
}

void weight_features(SparseFeatures& features, const float* weights, bool l2_normalize) noexcept {
  const std::size_t n = features.size();
  if (weights != nullptr)
    for (std::size_t i = 0; i < n; ++i)
      features.value[i] *= weights[features.index[i]];
  if (l2_normalize) {
    double sq = 0;
    for (std::size_t i = 0; i < n; ++i)
      sq += double(features.value[i]) * features.value[i];
    if (sq > 0) {
      const auto inv = static_cast<float>(1.0 / std::sqrt(sq));
      for (std::size_t i = 0; i < n; ++i)
        features.value[i] *= inv;
    }
  }
}

} // namespace supportnlp::features
