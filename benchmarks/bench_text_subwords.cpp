// SentencePiece encode throughput through supportnlp::text::Subwords, with
// SentencePiece's own processor on the same model as the peer (the gap is
// the wrapper's cost: UTF-8 validation and the public API).
//
// The model (unigram, 8000 pieces) is trained at start-up on the training
// splits of four public support sets in ../shared/datasets (Bitext customer
// support, BANKING77, CLINC150, airline tweets), and encoding is measured on
// texts it was not trained on: the Bitext test split and
// data/samples/tickets.jsonl. Without the shared datasets it trains on the
// sample tickets alone (and says so in the benchmark label).
#include "supportnlp/text/subwords.hpp"

#include "sample_tickets.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <sentencepiece_processor.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

using supportnlp::text::Subwords;

// First column of a TSV file with a header line.
std::vector<std::string> tsv_texts(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    out.push_back(line.substr(0, line.find('\t')));
  }
  return out;
}

std::vector<std::string> ticket_texts() {
  return supportnlp::bench::sample_tickets();
}

struct Fixture {
  Subwords model;
  sentencepiece::SentencePieceProcessor peer;
  std::vector<std::string> bitext_test;
  std::vector<std::string> tickets;
  std::string label;
};

const Fixture& fixture() {
  // Built once, never destroyed (the processor cannot be copied or moved).
  static const Fixture* instance = [] {
    auto* f = new Fixture;
    const std::string dir = std::string(SUPPORTNLP_SHARED_DIR) + "/datasets/";
    std::vector<std::string> train;
    for (const char* set :
         {"bitext_customer_support", "banking77", "clinc150", "twitter_airline_sentiment"}) {
      auto texts = tsv_texts(dir + set + "/train.tsv");
      train.insert(train.end(), texts.begin(), texts.end());
    }
    f->bitext_test = tsv_texts(dir + "bitext_customer_support/test.tsv");
    f->tickets = ticket_texts();
    supportnlp::text::SubwordTrainOptions options;
    options.vocab_size = 8000;
    options.num_threads = 2;
    options.hard_vocab_limit = false;
    f->label = "trained on 4 support train splits";
    if (train.empty()) {
      train = f->tickets;
      options.vocab_size = 1000;
      f->label = "trained on sample tickets (no shared datasets)";
    }
    auto trained = Subwords::train_from_sentences(train, options);
    if (!trained) {
      std::fprintf(stderr, "bench_text_subwords: %s\n", trained.error().message.c_str());
      std::exit(1);
    }
    f->model = trained.value();
    if (!f->peer.LoadFromSerializedProto(f->model.model_bytes()).ok()) std::exit(1);
    f->label += ", vocab " + std::to_string(f->model.vocab_size());
    return f;
  }();
  return *instance;
}

std::int64_t total_bytes(const std::vector<std::string>& texts) {
  std::int64_t n = 0;
  for (const auto& t : texts)
    n += static_cast<std::int64_t>(t.size());
  return n;
}

void report(benchmark::State& state, const std::vector<std::string>& texts, std::int64_t pieces) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size()));
  state.SetBytesProcessed(state.iterations() * total_bytes(texts));
  state.counters["pieces_per_text"] =
      static_cast<double>(pieces) / static_cast<double>(texts.size());
  state.SetLabel(fixture().label);
}

void encode_ours(benchmark::State& state, const std::vector<std::string>& texts) {
  const Subwords& model = fixture().model;
  std::vector<int> ids;
  std::int64_t pieces = 0;
  for (auto _ : state) {
    pieces = 0;
    for (const auto& t : texts) {
      model.encode(t, ids);
      pieces += static_cast<std::int64_t>(ids.size());
      benchmark::DoNotOptimize(ids.data());
    }
  }
  report(state, texts, pieces);
}

void encode_peer(benchmark::State& state, const std::vector<std::string>& texts) {
  const auto& peer = fixture().peer;
  std::vector<int> ids;
  std::int64_t pieces = 0;
  for (auto _ : state) {
    pieces = 0;
    for (const auto& t : texts) {
      ids.clear();
      (void)peer.Encode(t, &ids);
      pieces += static_cast<std::int64_t>(ids.size());
      benchmark::DoNotOptimize(ids.data());
    }
  }
  report(state, texts, pieces);
}

void BM_SubwordsEncode_BitextTest(benchmark::State& state) {
  encode_ours(state, fixture().bitext_test.empty() ? fixture().tickets : fixture().bitext_test);
}
void BM_SentencePieceEncode_BitextTest(benchmark::State& state) {
  encode_peer(state, fixture().bitext_test.empty() ? fixture().tickets : fixture().bitext_test);
}
void BM_SubwordsEncode_Tickets(benchmark::State& state) {
  encode_ours(state, fixture().tickets);
}
void BM_SentencePieceEncode_Tickets(benchmark::State& state) {
  encode_peer(state, fixture().tickets);
}

void BM_SubwordsEncodeWithOffsets_Tickets(benchmark::State& state) {
  const auto& f = fixture();
  std::vector<supportnlp::text::SubwordPiece> pieces;
  std::int64_t n = 0;
  for (auto _ : state) {
    n = 0;
    for (const auto& t : f.tickets) {
      f.model.encode_with_offsets(t, pieces);
      n += static_cast<std::int64_t>(pieces.size());
      benchmark::DoNotOptimize(pieces.data());
    }
  }
  report(state, f.tickets, n);
}

void BM_SubwordsDecode_Tickets(benchmark::State& state) {
  const auto& f = fixture();
  std::vector<std::vector<int>> encoded;
  for (const auto& t : f.tickets)
    encoded.push_back(f.model.encode(t));
  for (auto _ : state)
    for (const auto& ids : encoded)
      benchmark::DoNotOptimize(f.model.decode(ids));
  report(state, f.tickets, 0);
}

BENCHMARK(BM_SubwordsEncode_BitextTest)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SentencePieceEncode_BitextTest)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SubwordsEncode_Tickets)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SentencePieceEncode_Tickets)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SubwordsEncodeWithOffsets_Tickets)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SubwordsDecode_Tickets)->Unit(benchmark::kMicrosecond);

} // namespace
