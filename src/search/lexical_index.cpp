// LexicalIndex: BM25 with a forward index (document -> terms) as the stored
// form, from which postings are rebuilt after removals and on load, so no
// document is ever re-tokenized.
#include "supportnlp/search/lexical_index.hpp"

#include "cpu/hash.hpp"
#include "search/porter_stemmer.hpp"
#include "search/top_k.hpp"
#include "supportnlp/io/model_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace supportnlp::search {

namespace {

const text::Tokenizer& analyzer_tokenizer() {
  static const text::Tokenizer tokenizer{text::TokenizerOptions{true, false}};
  return tokenizer;
}

bool indexed_kind(text::TokenKind kind) {
  switch (kind) {
  case text::TokenKind::word:
  case text::TokenKind::number:
  case text::TokenKind::url:
  case text::TokenKind::email:
  case text::TokenKind::mention:
  case text::TokenKind::hashtag:
  case text::TokenKind::id:
  case text::TokenKind::version:
    return true;
  default:
    return false;
  }
}

// English function words (before stemming): they carry no topic, and with
// title weighting they would make "my" or "how" in a title outweigh a
// content word.
bool is_stopword(std::string_view w) {
  // Each word packed into one integer (its bytes and its length), sorted
  // once and searched by bisection: comparing strings (a library call per
  // probe) was a visible share of a KB query.
  constexpr std::size_t kLongest = 6; // "myself"
  const auto pack = [](std::string_view s) {
    std::uint64_t key = static_cast<std::uint64_t>(s.size()) << 56;
    for (std::size_t i = 0; i < s.size(); ++i)
      key |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[i])) << (8 * i);
    return key;
  };
  static const std::vector<std::uint64_t> kWords = [&] {
    const char* words[] = {
        "a",      "about",  "after",  "again", "all",   "am",    "an",    "and",   "any",
        "are",    "as",     "at",     "be",    "been",  "being", "but",   "by",    "can",
        "could",  "did",    "do",     "does",  "doing", "for",   "from",  "had",   "has",
        "have",   "having", "he",     "her",   "here",  "him",   "his",   "how",   "i",
        "i'm",    "if",     "in",     "into",  "is",    "it",    "it's",  "its",   "just",
        "me",     "my",     "myself", "of",    "on",    "or",    "our",   "ours",  "she",
        "should", "so",     "some",   "such",  "than",  "that",  "the",   "their", "them",
        "then",   "there",  "these",  "they",  "this",  "those", "to",    "too",   "us",
        "very",   "was",    "we",     "were",  "what",  "when",  "where", "which", "while",
        "who",    "whom",   "why",    "will",  "with",  "would", "you",   "your",  "yours"};
    std::vector<std::uint64_t> v;
    for (const char* word : words)
      v.push_back(pack(word));
    std::sort(v.begin(), v.end());
    return v;
  }();
  if (w.empty() || w.size() > kLongest) return false;
  return std::binary_search(kWords.begin(), kWords.end(), pack(w));
}

// Sign-in phrases: "log" or "sign" (after stemming: "logging", "signed")
// followed by one of these particles, with only spaces or hyphens between,
// become one term, the same as the one-word spelling ("log in" = "log-in" =
// "login", "sign up" = "signup"). Without this "can't log in" matched
// "audit log" through "log" (the particle is a stopword), while the
// phrasal verb means something else than the noun.
std::string_view phrase_particle(std::string_view w) {
  if (w == "in" || w == "into") return "in";
  if (w == "on" || w == "onto") return "on";
  if (w == "out" || w == "off" || w == "up") return w;
  return {};
}
bool only_spaces_or_hyphens(std::string_view gap) {
  for (char c : gap)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '-') return false;
  return true;
}

// Index of the first token at or after `i` that is not punctuation: the
// analyzer's tokenizer drops punctuation, and a stream that kept it (a
// default Tokenizer's, shared with other models) is read as if it had not.
std::size_t skip_punct(const std::vector<text::Token>& ts, std::size_t i) {
  while (i < ts.size() && ts[i].kind == text::TokenKind::punct)
    ++i;
  return i;
}

// Calls fn(term, token) for each indexed token of `tokens` (made with
// entities on, punctuation on or off).
template <class Fn>
void for_each_term_of(const text::TokenizedText& tokens, const Bm25Options& options, Fn&& fn) {
  thread_local std::string term;
  const std::string_view text = tokens.source;
  const auto& ts = tokens.tokens;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const text::Token& t = ts[i];
    if (!indexed_kind(t.kind)) continue;
    term.assign(tokens.normalized(t));
    if (term.empty()) continue;
    const bool word = t.kind == text::TokenKind::word;
    const std::size_t after = word && options.phrases ? skip_punct(ts, i + 1) : ts.size();
    if (options.phrases && word && after < ts.size() && ts[after].kind == text::TokenKind::word &&
        (term.size() <= 7)) { // "logging", "signing" at most
      const text::Token& next = ts[after];
      const std::string_view particle = phrase_particle(tokens.normalized(next));
      if (!particle.empty() && next.begin >= t.end && next.begin <= text.size() &&
          only_spaces_or_hyphens(text.substr(t.end, next.begin - t.end))) {
        std::string stem = term;
        if (options.stem) detail::porter_stem(stem);
        if (stem == "log" || stem == "sign") {
          term = stem;
          term += particle;
          text::Token both = t;
          both.end = next.end;
          fn(term, both);
          i = after;
          continue;
        }
      }
    }
    if (options.stopwords && word && is_stopword(term)) continue;
    if (options.stem && word) detail::porter_stem(term);
    fn(term, t);
  }
}

// Calls fn(term, token) for each indexed token of `text`.
template <class Fn> void for_each_term(std::string_view text, const Bm25Options& options, Fn&& fn) {
  thread_local text::TokenizedText tokens;
  analyzer_tokenizer().tokenize(text, tokens);
  for_each_term_of(tokens, options, fn);
}

struct Posting {
  std::uint32_t doc;
  std::uint32_t tf;
};

// Term -> id, open addressing over one flat array of (hash, id) slots: a
// query looks up each of its terms, and a node-based hash map's pointer
// chase per lookup cost a visible share of a KB query. Terms themselves
// stay in the vocabulary; a slot is compared by hash, then by text.
class TermTable {
public:
  // The id of `term` in `vocab`, or -1.
  std::int64_t find(std::string_view term, const std::vector<std::string>& vocab) const noexcept {
    if (slots_.empty()) return -1;
    const std::uint64_t h = hash(term);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.id == kEmpty) return -1;
      if (slot.hash == h && vocab[slot.id] == term) return slot.id;
    }
  }
  // Adds `term`, which must not be in the table yet, as `id`.
  void insert(std::string_view term, std::uint32_t id) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(Slot{hash(term), id});
    ++size_;
  }
  std::size_t size() const noexcept { return size_; }

private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t id = kEmpty;
  };
  static std::uint64_t hash(std::string_view term) noexcept {
    // FNV-1a, finished so that its low bits (the home slot) are well spread.
    std::uint64_t h = cpu::fnv1a(term.data(), term.size());
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
  }
  void place(const Slot& s) noexcept {
    std::size_t i = s.hash & mask_;
    while (slots_[i].id != kEmpty)
      i = (i + 1) & mask_;
    slots_[i] = s;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, old.size() * 2), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old)
      if (s.id != kEmpty) place(s);
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

} // namespace

struct LexicalIndex::Impl {
  Bm25Options options;
  std::vector<std::string> vocab;
  TermTable ids; // term -> index into vocab
  // Forward index: document d's terms are fwd_term/fwd_tf[doc_begin[d]..doc_begin[d+1]).
  std::vector<std::uint64_t> doc_begin{0};
  std::vector<std::uint32_t> fwd_term, fwd_tf, doc_len;
  std::uint64_t total_len = 0;
  // Derived: postings per term and per-document length normalisation.
  std::vector<std::vector<Posting>> postings;
  std::vector<float> norm;

  std::size_t docs() const { return doc_len.size(); }

  void rebuild_postings() {
    postings.assign(vocab.size(), {});
    for (std::size_t d = 0; d < docs(); ++d)
      for (std::uint64_t i = doc_begin[d]; i < doc_begin[d + 1]; ++i)
        postings[fwd_term[i]].push_back(Posting{static_cast<std::uint32_t>(d), fwd_tf[i]});
  }
  void rebuild_norms() {
    norm.resize(docs());
    const double avg = docs() ? static_cast<double>(total_len) / docs() : 1.0;
    for (std::size_t d = 0; d < docs(); ++d)
      norm[d] = static_cast<float>(
          options.k1 * (1.0 - options.b + options.b * (avg > 0 ? doc_len[d] / avg : 0.0)));
  }
};

LexicalIndex::LexicalIndex(Bm25Options options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  impl_ = std::move(impl);
}

LexicalIndex::Impl& LexicalIndex::mutable_impl() {
  if (impl_.use_count() != 1) impl_ = std::make_shared<Impl>(*impl_);
  return const_cast<Impl&>(*impl_);
}

const Bm25Options& LexicalIndex::options() const noexcept {
  return impl_->options;
}
std::size_t LexicalIndex::size() const noexcept {
  return impl_->docs();
}
std::size_t LexicalIndex::terms() const noexcept {
  return impl_->vocab.size();
}

void LexicalIndex::add(std::string_view text) {
  Impl& impl = mutable_impl();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> counts; // term, tf
  std::uint32_t len = 0;
  for_each_term(text, impl.options, [&](const std::string& term, const text::Token&) {
    std::int64_t id = impl.ids.find(term, impl.vocab);
    if (id < 0) {
      id = static_cast<std::int64_t>(impl.vocab.size());
      impl.ids.insert(term, static_cast<std::uint32_t>(id));
      impl.vocab.push_back(term);
      impl.postings.emplace_back();
    }
    counts.emplace_back(static_cast<std::uint32_t>(id), 1);
    ++len;
  });
  std::sort(counts.begin(), counts.end());
  const auto doc = static_cast<std::uint32_t>(impl.docs());
  for (std::size_t i = 0; i < counts.size();) {
    std::size_t j = i;
    while (j < counts.size() && counts[j].first == counts[i].first)
      ++j;
    const auto tf = static_cast<std::uint32_t>(j - i);
    impl.fwd_term.push_back(counts[i].first);
    impl.fwd_tf.push_back(tf);
    impl.postings[counts[i].first].push_back(Posting{doc, tf});
    i = j;
  }
  impl.doc_begin.push_back(impl.fwd_term.size());
  impl.doc_len.push_back(len);
  impl.total_len += len;
  impl.rebuild_norms();
}

void LexicalIndex::remove_docs(const std::vector<std::uint32_t>& ids) {
  if (ids.empty()) return;
  Impl& impl = mutable_impl();
  std::vector<char> drop(impl.docs(), 0);
  for (auto id : ids)
    if (id < impl.docs()) drop[id] = 1;
  std::vector<std::uint64_t> begin{0};
  std::vector<std::uint32_t> term, tf, len;
  std::uint64_t total = 0;
  for (std::size_t d = 0; d < impl.docs(); ++d) {
    if (drop[d]) continue;
    for (std::uint64_t i = impl.doc_begin[d]; i < impl.doc_begin[d + 1]; ++i) {
      term.push_back(impl.fwd_term[i]);
      tf.push_back(impl.fwd_tf[i]);
    }
    begin.push_back(term.size());
    len.push_back(impl.doc_len[d]);
    total += impl.doc_len[d];
  }
  impl.doc_begin = std::move(begin);
  impl.fwd_term = std::move(term);
  impl.fwd_tf = std::move(tf);
  impl.doc_len = std::move(len);
  impl.total_len = total;
  impl.rebuild_postings();
  impl.rebuild_norms();
}

void LexicalIndex::search(std::string_view query, int k, std::vector<ScoredId>& out,
                          ResultOrder order) const {
  thread_local text::TokenizedText tokens;
  if (k <= 0 || impl_->docs() == 0) {
    out.clear();
    return;
  }
  analyzer_tokenizer().tokenize(query, tokens);
  search(tokens, k, out, order);
}

void LexicalIndex::search(const text::TokenizedText& query, int k, std::vector<ScoredId>& out,
                          ResultOrder order) const {
  const Impl& impl = *impl_;
  out.clear();
  if (k <= 0 || impl.docs() == 0) return;
  thread_local std::vector<std::uint32_t> qterms;
  qterms.clear();
  for_each_term_of(query, impl.options, [&](const std::string& term, const text::Token&) {
    const std::int64_t id = impl.ids.find(term, impl.vocab);
    if (id >= 0) qterms.push_back(static_cast<std::uint32_t>(id));
  });
  std::sort(qterms.begin(), qterms.end());
  qterms.erase(std::unique(qterms.begin(), qterms.end()), qterms.end());
  thread_local std::vector<float> acc;
  thread_local std::vector<std::uint32_t> touched;
  acc.assign(impl.docs(), 0.0f);
  touched.clear();
  const double n = static_cast<double>(impl.docs());
  const float k1p1 = impl.options.k1 + 1.0f;
  for (std::uint32_t t : qterms) {
    const auto& plist = impl.postings[t];
    if (plist.empty()) continue;
    const double df = static_cast<double>(plist.size());
    const auto idf = static_cast<float>(std::log(1.0 + (n - df + 0.5) / (df + 0.5)));
    for (const Posting& p : plist) {
      if (acc[p.doc] == 0.0f) touched.push_back(p.doc);
      const float tf = static_cast<float>(p.tf);
      acc[p.doc] += idf * tf * k1p1 / (tf + impl.norm[p.doc]);
    }
  }
  for (std::uint32_t d : touched)
    out.push_back(ScoredId{d, acc[d]});
  detail::select_top(out, k, order);
}

std::vector<std::string> LexicalIndex::analyze(std::string_view text) const {
  std::vector<std::string> out;
  for_each_term(text, impl_->options,
                [&](const std::string& term, const text::Token&) { out.push_back(term); });
  return out;
}

std::vector<std::string> LexicalIndex::analyze(const text::TokenizedText& tokens) const {
  std::vector<std::string> out;
  for_each_term_of(tokens, impl_->options,
                   [&](const std::string& term, const text::Token&) { out.push_back(term); });
  return out;
}

std::vector<text::Span> LexicalIndex::match_spans(std::string_view query,
                                                  std::string_view text) const {
  std::vector<std::string> q = analyze(query);
  std::sort(q.begin(), q.end());
  std::vector<text::Span> spans;
  match_terms(q, text, spans);
  return spans;
}

void LexicalIndex::match_terms(const std::vector<std::string>& sorted_terms, std::string_view text,
                               std::vector<text::Span>& out) const {
  out.clear();
  if (sorted_terms.empty()) return;
  for_each_term(text, impl_->options, [&](const std::string& term, const text::Token& t) {
    if (std::binary_search(sorted_terms.begin(), sorted_terms.end(), term))
      out.push_back(text::Span{t.begin, t.end});
  });
}

void LexicalIndex::write(io::ModelWriter& writer, const std::string& prefix) const {
  const Impl& impl = *impl_;
  const float params[5] = {impl.options.k1, impl.options.b, impl.options.stem ? 1.0f : 0.0f,
                           impl.options.stopwords ? 1.0f : 0.0f,
                           impl.options.phrases ? 1.0f : 0.0f};
  writer.add_tensor(prefix + "params", io::DType::f32, {5}, params, sizeof params);
  std::string vocab;
  for (const auto& t : impl.vocab) {
    vocab += t;
    vocab.push_back('\0');
  }
  writer.add_blob(prefix + "vocab", vocab);
  auto add_u32 = [&](const char* name, const std::vector<std::uint32_t>& v) {
    writer.add_tensor(prefix + name, io::DType::u32, {static_cast<std::int64_t>(v.size())},
                      v.data(), v.size() * sizeof(std::uint32_t));
  };
  writer.add_tensor(prefix + "doc_begin", io::DType::u64,
                    {static_cast<std::int64_t>(impl.doc_begin.size())}, impl.doc_begin.data(),
                    impl.doc_begin.size() * sizeof(std::uint64_t));
  add_u32("fwd_term", impl.fwd_term);
  add_u32("fwd_tf", impl.fwd_tf);
  add_u32("doc_len", impl.doc_len);
}

Result<LexicalIndex> LexicalIndex::read(const io::ModelFile& file, const std::string& prefix) {
  auto corrupt = [&](const std::string& what) {
    return make_error(ErrorCode::corrupt, file.path() + ": lexical index: " + what);
  };
  auto params = file.require(prefix + "params", io::DType::f32, 1);
  if (!params) return params.error();
  // 4 parameters in files written before phrase terms existed: their
  // forward index holds no phrase terms, so queries must not make them.
  const auto np = params.value()->elements();
  if (np != 4 && np != 5) return corrupt("params must have 4 or 5 elements");
  const float* p = params.value()->as<float>();
  if (!(p[0] >= 0.0f && p[0] < 100.0f) || !(p[1] >= 0.0f && p[1] <= 1.0f))
    return corrupt("k1 or b out of range");
  for (std::int64_t i = 2; i < np; ++i)
    if (p[i] != 0.0f && p[i] != 1.0f)
      return corrupt("flag " + std::to_string(i) + " of tensor '" + prefix +
                     "params' is neither 0 nor 1");
  LexicalIndex index(Bm25Options{p[0], p[1], p[2] != 0.0f, p[3] != 0.0f, np == 5 && p[4] != 0.0f});
  Impl& impl = index.mutable_impl();

  auto vocab = file.require(prefix + "vocab", io::DType::u8, 1);
  if (!vocab) return vocab.error();
  std::string_view v = vocab.value()->view();
  while (!v.empty()) {
    const std::size_t end = v.find('\0');
    if (end == std::string_view::npos) return corrupt("vocabulary is not terminated");
    const std::string_view term = v.substr(0, end);
    if (impl.ids.find(term, impl.vocab) >= 0) return corrupt("duplicate vocabulary terms");
    impl.ids.insert(term, static_cast<std::uint32_t>(impl.vocab.size()));
    impl.vocab.emplace_back(term);
    v.remove_prefix(end + 1);
  }

  auto begin = file.require(prefix + "doc_begin", io::DType::u64, 1);
  if (!begin) return begin.error();
  auto u32 = [&](const char* name, std::vector<std::uint32_t>& out) -> Result<void> {
    auto t = file.require(prefix + name, io::DType::u32, 1);
    if (!t) return t.error();
    out.assign(t.value()->as<std::uint32_t>(),
               t.value()->as<std::uint32_t>() + t.value()->elements());
    return {};
  };
  if (auto r = u32("fwd_term", impl.fwd_term); !r) return r.error();
  if (auto r = u32("fwd_tf", impl.fwd_tf); !r) return r.error();
  if (auto r = u32("doc_len", impl.doc_len); !r) return r.error();
  const auto* b = begin.value()->as<std::uint64_t>();
  impl.doc_begin.assign(b, b + begin.value()->elements());

  // Structural checks: every index a search follows must be in range.
  if (impl.doc_begin.size() != impl.doc_len.size() + 1 || impl.doc_begin.front() != 0 ||
      impl.doc_begin.back() != impl.fwd_term.size() || impl.fwd_tf.size() != impl.fwd_term.size())
    return corrupt("document table does not match the term lists");
  for (std::size_t d = 0; d + 1 < impl.doc_begin.size(); ++d)
    if (impl.doc_begin[d] > impl.doc_begin[d + 1]) return corrupt("document offsets decrease");
  for (auto t : impl.fwd_term)
    if (t >= impl.vocab.size()) return corrupt("term id out of range");
  // The BM25 statistics must be those of the forward index: each document
  // lists its terms once, in increasing order, each with a frequency >= 1,
  // and its length is the sum of its frequencies (as add() builds them).
  for (std::size_t d = 0; d < impl.doc_len.size(); ++d) {
    std::uint64_t sum = 0;
    for (std::uint64_t i = impl.doc_begin[d]; i < impl.doc_begin[d + 1]; ++i) {
      if (impl.fwd_tf[i] == 0)
        return corrupt("document " + std::to_string(d) +
                       " has a term "
                       "frequency of 0");
      if (i > impl.doc_begin[d] && impl.fwd_term[i] <= impl.fwd_term[i - 1])
        return corrupt("document " + std::to_string(d) + " lists its terms out of order");
      sum += impl.fwd_tf[i];
    }
    if (sum != impl.doc_len[d])
      return corrupt("document " + std::to_string(d) + " has length " +
                     std::to_string(impl.doc_len[d]) + " but term frequencies summing to " +
                     std::to_string(sum));
  }
  impl.total_len = 0;
  for (auto len : impl.doc_len)
    impl.total_len += len;
  impl.rebuild_postings();
  impl.rebuild_norms();
  return index;
}

} // namespace supportnlp::search
