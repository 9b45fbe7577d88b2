// Tokenizer throughput against the peer, ICU's word BreakIterator with
// NFKC_Casefold of every word, in the same binary on the same text: a
// ~4 MB synthetic support corpus and 100k short tickets
// (benchmarks/corpus/support_corpus.hpp, deterministic).
//
//   build-x/benchmarks/bench_text --benchmark_filter=Corpus
#include "corpus/support_corpus.hpp"

#include "supportnlp/text/normalizer.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <benchmark/benchmark.h>
#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/utext.h>

#include <memory>
#include <string>
#include <vector>

namespace {

using namespace supportnlp::text;

const std::string& corpus() {
  static const std::string c = supportnlp::bench::support_corpus(4 << 20, 2026);
  return c;
}

// The same corpus with every non-ASCII character removed: the fast path's
// best case, to show where the time goes.
const std::string& ascii_corpus() {
  static const std::string c = [] {
    std::string out;
    for (char ch : corpus())
      if (static_cast<unsigned char>(ch) < 0x80) out.push_back(ch);
    return out;
  }();
  return c;
}

// The same corpus with every CJK character (U+3000-U+9FFF, U+FF00-U+FFEF)
// removed, accented Latin and emoji kept: the peer spends most of its time
// on the CJK sentences in ICU's dictionary segmenter (about 90 ns per
// character); we run the same dictionary search without a BreakIterator
// (src/text/cjk_dictionary.cpp). This variant shows the rest.
std::string without_cjk(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    const auto b = static_cast<unsigned char>(in[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = 0;
    if (len == 3)
      cp = (char32_t(b & 0x0F) << 12) | (char32_t(in[i + 1] & 0x3F) << 6) |
           char32_t(in[i + 2] & 0x3F);
    if (!((cp >= 0x3000 && cp <= 0x9FFF) || (cp >= 0xFF00 && cp <= 0xFFEF))) out.append(in, i, len);
    i += len;
  }
  return out;
}

const std::string& no_cjk_corpus() {
  static const std::string c = without_cjk(corpus());
  return c;
}

enum class Variant { mixed, ascii, no_cjk, cjk_only };

const std::string& corpus_of(Variant v) {
  return v == Variant::ascii ? ascii_corpus() : v == Variant::no_cjk ? no_cjk_corpus() : corpus();
}

const std::vector<std::string>& short_texts() {
  static const std::vector<std::string> t = supportnlp::bench::support_texts(100000, 7);
  return t;
}

// The same 100k texts with their CJK characters removed (19% of the texts
// hold CJK, 5% of the bytes; when we handed CJK runs to ICU's BreakIterator
// they were about a quarter of our instructions on the short texts, and our
// own dictionary search is now about a tenth of our time: perf, words only).
const std::vector<std::string>& no_cjk_short_texts() {
  static const std::vector<std::string> t = [] {
    std::vector<std::string> out;
    for (const auto& text : short_texts())
      out.push_back(without_cjk(text));
    return out;
  }();
  return t;
}

// Only the short texts that hold CJK (about 19k of the 100k), unchanged:
// where the CJK dictionary search shows, beside the peer.
const std::vector<std::string>& cjk_short_texts() {
  static const std::vector<std::string> t = [] {
    std::vector<std::string> out;
    for (const auto& text : short_texts())
      if (without_cjk(text).size() != text.size()) out.push_back(text);
    return out;
  }();
  return t;
}

const std::vector<std::string>& short_texts_of(Variant v) {
  return v == Variant::no_cjk     ? no_cjk_short_texts()
         : v == Variant::cjk_only ? cjk_short_texts()
                                  : short_texts();
}

std::size_t total_bytes(const std::vector<std::string>& texts) {
  std::size_t n = 0;
  for (const auto& t : texts)
    n += t.size();
  return n;
}

// The peer: what a caller writes with ICU alone. Word segments that are not
// whitespace are emitted with their NFKC_Casefold form, like our tokens.
class IcuPeer {
public:
  IcuPeer() {
    UErrorCode status = U_ZERO_ERROR;
    bi_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    norm_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
  }
  ~IcuPeer() { utext_close(&ut_); }

  std::size_t run(const std::string& text) {
    UErrorCode status = U_ZERO_ERROR;
    utext_openUTF8(&ut_, text.data(), std::int64_t(text.size()), &status);
    bi_->setText(&ut_, status);
    normalized_.clear();
    tokens_.clear();
    std::int32_t begin = bi_->first();
    for (std::int32_t end = bi_->next(); end != icu::BreakIterator::DONE;
         begin = end, end = bi_->next()) {
      const unsigned char c = static_cast<unsigned char>(text[std::size_t(begin)]);
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
      const auto nb = normalized_.size();
      icu::StringByteSink<std::string> sink(&normalized_);
      norm_->normalizeUTF8(0, icu::StringPiece(text.data() + begin, end - begin), sink, nullptr,
                           status);
      tokens_.push_back({std::uint32_t(begin), std::uint32_t(end), std::uint32_t(nb),
                         std::uint32_t(normalized_.size()), TokenKind::other});
    }
    return tokens_.size();
  }

private:
  std::unique_ptr<icu::BreakIterator> bi_;
  const icu::Normalizer2* norm_ = nullptr;
  UText ut_ = UTEXT_INITIALIZER;
  std::string normalized_;
  std::vector<Token> tokens_;
};

void BM_Corpus_Ours(benchmark::State& state, bool entities, Variant variant) {
  const Tokenizer tok(TokenizerOptions{entities, true, NormalizationForm::nfkc_casefold});
  TokenizedText out;
  const std::string& text = corpus_of(variant);
  std::size_t tokens = 0;
  for (auto _ : state) {
    tok.tokenize(text, out);
    tokens = out.tokens.size();
    benchmark::DoNotOptimize(out.tokens.data());
  }
  state.SetBytesProcessed(std::int64_t(state.iterations() * text.size()));
  state.counters["tokens"] = double(tokens);
}

void BM_Corpus_IcuPeer(benchmark::State& state, Variant variant) {
  IcuPeer peer;
  const std::string& text = corpus_of(variant);
  std::size_t tokens = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(tokens = peer.run(text));
  state.SetBytesProcessed(std::int64_t(state.iterations() * text.size()));
  state.counters["tokens"] = double(tokens);
}

void BM_ShortTexts_Ours(benchmark::State& state, bool entities, Variant variant) {
  const Tokenizer tok(TokenizerOptions{entities, true, NormalizationForm::nfkc_casefold});
  TokenizedText out;
  const auto& texts = short_texts_of(variant);
  for (auto _ : state)
    for (const auto& t : texts) {
      tok.tokenize(t, out);
      benchmark::DoNotOptimize(out.tokens.data());
    }
  state.SetItemsProcessed(std::int64_t(state.iterations() * texts.size()));
  state.SetBytesProcessed(std::int64_t(state.iterations() * total_bytes(texts)));
}

void BM_ShortTexts_IcuPeer(benchmark::State& state, Variant variant) {
  IcuPeer peer;
  const auto& texts = short_texts_of(variant);
  for (auto _ : state)
    for (const auto& t : texts)
      benchmark::DoNotOptimize(peer.run(t));
  state.SetItemsProcessed(std::int64_t(state.iterations() * texts.size()));
  state.SetBytesProcessed(std::int64_t(state.iterations() * total_bytes(texts)));
}

void BM_Normalize_Corpus(benchmark::State& state) {
  const Normalizer norm(NormalizationForm::nfkc_casefold);
  const std::string& text = corpus();
  for (auto _ : state)
    benchmark::DoNotOptimize(norm.normalize(text).text.data());
  state.SetBytesProcessed(std::int64_t(state.iterations() * text.size()));
}

BENCHMARK_CAPTURE(BM_Corpus_Ours, words_only, false, Variant::mixed)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Corpus_Ours, entities, true, Variant::mixed)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Corpus_IcuPeer, mixed, Variant::mixed)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Corpus_Ours, ascii_words_only, false, Variant::ascii)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Corpus_Ours, ascii_entities, true, Variant::ascii)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Corpus_IcuPeer, ascii, Variant::ascii)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Corpus_Ours, no_cjk_words_only, false, Variant::no_cjk)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Corpus_Ours, no_cjk_entities, true, Variant::no_cjk)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Corpus_IcuPeer, no_cjk, Variant::no_cjk)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShortTexts_Ours, words_only, false, Variant::mixed)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShortTexts_Ours, entities, true, Variant::mixed)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShortTexts_IcuPeer, mixed, Variant::mixed)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShortTexts_Ours, no_cjk_words_only, false, Variant::no_cjk)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShortTexts_Ours, no_cjk_entities, true, Variant::no_cjk)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShortTexts_IcuPeer, no_cjk, Variant::no_cjk)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShortTexts_Ours, cjk_only_words_only, false, Variant::cjk_only)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShortTexts_Ours, cjk_only_entities, true, Variant::cjk_only)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ShortTexts_IcuPeer, cjk_only, Variant::cjk_only)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Normalize_Corpus)->Unit(benchmark::kMillisecond);

} // namespace
