// Encoding throughput of the StaticEncoder on short support texts (BANKING77
// test utterances, ~60 bytes each), single thread, with the shipped model in
// i8 and f32 storage, beside the tokenizer alone (the floor any encoder built
// on it pays).
#include <benchmark/benchmark.h>

#include "embed/featurizer.hpp"
#include "embed/transformer/tokenizer.hpp"
#include "sample_tickets.hpp"
#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const std::vector<std::string>& short_texts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    std::ifstream in(SUPPORTNLP_SHARED_DIR "/datasets/banking77/test.tsv");
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line))
      out.push_back(line.substr(0, line.find('\t')));
    if (out.empty()) out.push_back("I still have not received my new card, where is it?");
    return out;
  }();
  return texts;
}

const supportnlp::embed::StaticEncoder& shipped(supportnlp::embed::WeightStorage storage) {
  static const auto load = [](supportnlp::embed::WeightStorage s) {
    auto enc =
        supportnlp::embed::StaticEncoder::load(SUPPORTNLP_SOURCE_DIR "/data/models/encoder.snlp");
    if (!enc) throw std::runtime_error(enc.error().message);
    if (s == supportnlp::embed::WeightStorage::i8) return enc.value();
    return supportnlp::embed::StaticEncoder::from_bytes(enc->serialize(s).value()).value();
  };
  static const auto i8 = load(supportnlp::embed::WeightStorage::i8);
  static const auto f32 = load(supportnlp::embed::WeightStorage::f32);
  return storage == supportnlp::embed::WeightStorage::i8 ? i8 : f32;
}

void run_encoder(benchmark::State& state, supportnlp::embed::WeightStorage storage) {
  const auto& enc = shipped(storage);
  const auto& texts = short_texts();
  std::vector<float> out(enc.dim());
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts[i];
    enc.encode(t, out.data());
    benchmark::DoNotOptimize(out.data());
    bytes += t.size();
    if (++i == texts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_StaticEncoder_encode_i8(benchmark::State& state) {
  run_encoder(state, supportnlp::embed::WeightStorage::i8);
}
BENCHMARK(BM_StaticEncoder_encode_i8);

void BM_StaticEncoder_encode_f32(benchmark::State& state) {
  run_encoder(state, supportnlp::embed::WeightStorage::f32);
}
BENCHMARK(BM_StaticEncoder_encode_f32);

void BM_StaticEncoder_encode_batch64_i8(benchmark::State& state) {
  const auto& enc = shipped(supportnlp::embed::WeightStorage::i8);
  const auto& texts = short_texts();
  std::vector<std::string_view> batch(texts.begin(), texts.begin() + 64);
  std::size_t bytes_per_batch = 0;
  for (auto t : batch)
    bytes_per_batch += t.size();
  std::vector<float> out(batch.size() * enc.dim());
  for (auto _ : state) {
    enc.encode_batch(batch, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes_per_batch));
}
BENCHMARK(BM_StaticEncoder_encode_batch64_i8);

// The tokenizer alone, on the same texts: the part of encoding that is not
// the encoder's own lookup and pooling.
void BM_Tokenizer_alone(benchmark::State& state) {
  supportnlp::text::Tokenizer tok;
  supportnlp::text::TokenizedText out;
  const auto& texts = short_texts();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    tok.tokenize(texts[i], out);
    benchmark::DoNotOptimize(out.tokens.data());
    bytes += texts[i].size();
    if (++i == texts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_Tokenizer_alone);

// Tokenizing plus n-gram hashing: everything before the table lookups.
void BM_Featurize(benchmark::State& state) {
  const supportnlp::embed::FeatureConfig config;
  const supportnlp::features::NgramExtractor extractor(supportnlp::embed::ngram_options(config));
  supportnlp::features::SparseFeatures out;
  const auto& texts = short_texts();
  std::size_t i = 0, bytes = 0, features = 0;
  for (auto _ : state) {
    supportnlp::embed::extract_features(texts[i], extractor, out);
    benchmark::DoNotOptimize(out.index.data());
    features += out.size();
    bytes += texts[i].size();
    if (++i == texts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["features_per_text"] =
      static_cast<double>(features) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Featurize);

// Transformer tokenization (issue 14) on the sample tickets (~150 bytes,
// ~35 WordPiece tokens each): all-MiniLM-L6-v2's WordPiece at its
// max_seq_length 256, beside the library's own word tokenizer on the same
// texts in the same run (the peer: the tokenizer every other model pays).
// Items are tickets; the "tokens" counter is WordPiece tokens per second.
// Runs `tokenize` (text -> token count) over the tickets in turn.
template <class Tokenize> void run_tickets(benchmark::State& state, Tokenize&& tokenize) {
  const auto& texts = supportnlp::bench::sample_tickets();
  if (texts.empty()) {
    state.SkipWithError("data/samples/tickets.jsonl: no tickets");
    return;
  }
  std::size_t i = 0, bytes = 0, tokens = 0;
  for (auto _ : state) {
    tokens += tokenize(texts[i]);
    bytes += texts[i].size();
    if (++i == texts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["tokens"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}

void BM_WordPiece_tickets(benchmark::State& state) {
  auto loaded = supportnlp::embed::transformer::load_tokenizer(SUPPORTNLP_SHARED_DIR
                                                               "/models/all-MiniLM-L6-v2");
  if (!loaded) {
    state.SkipWithError(loaded.error().message.c_str());
    return;
  }
  const auto& tok = *loaded.value();
  run_tickets(state, [&](const std::string& text) {
    const auto e = tok.encode(text, 256);
    benchmark::DoNotOptimize(e.ids.data());
    return e.ids.size();
  });
}
BENCHMARK(BM_WordPiece_tickets);

void BM_Tokenizer_tickets(benchmark::State& state) {
  supportnlp::text::Tokenizer tok;
  supportnlp::text::TokenizedText out;
  run_tickets(state, [&](const std::string& text) {
    tok.tokenize(text, out);
    benchmark::DoNotOptimize(out.tokens.data());
    return out.tokens.size();
  });
}
BENCHMARK(BM_Tokenizer_tickets);

} // namespace
