// Language identification throughput, single thread, loaded models: our
// LanguageIdentifier against the two peers of issue 13 in the same binary on
// the same texts, each from raw UTF-8 to a top-1 language:
//  - CLD2 (Debian's libcld2 with its full 160-language tables), called as
//    pycld2's detect() calls it (benchmarks/langid_peers.hpp);
//  - fastText lid.176.ftz through predictLine (its own tokenization).
// Inputs, loaded once:
//  - Sentences: every sentence of lingua's test set
//    (../shared/datasets/langid/lingua_test/sentences.tsv, 75 languages,
//    74,141 texts), shuffled once with a fixed seed: the file is grouped by
//    language, and a run that stops before the end must still see all 75.
//  - Tickets300: the 68 sample tickets of data/samples/tickets.jsonl (60
//    English; French, Spanish, German, Japanese; one emoji-only), each
//    extended with the following tickets to 300 bytes (sample_tickets.hpp).
// One text per iteration; items/s are texts/s. Our model is
// data/models/langid.snlp unless SUPPORTNLP_LANGID_MODEL names another.
// benchmarks/eval/langid.sh measures the accuracy of the same three.
#include "langid_peers.hpp"
#include "sample_tickets.hpp"

#include <supportnlp/io/records.hpp>
#include <supportnlp/text/language_identifier.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

double file_bytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? double(st.st_size) : 0.0;
}

// lingua's sentences: text<TAB>lang with a header, no quoting; the text is
// everything before the last TAB.
const std::vector<std::string>& sentences() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    std::ifstream in(SUPPORTNLP_SHARED_DIR "/datasets/langid/lingua_test/sentences.tsv",
                     std::ios::binary);
    supportnlp::io::TsvOptions tsv;
    tsv.min_columns = 2;
    tsv.header_always = true;
    supportnlp::io::read_tsv(
        in, tsv,
        [&](std::uint64_t, std::vector<std::string_view>& cols) {
          const char* begin = cols.front().data();
          out.emplace_back(begin, static_cast<std::size_t>(cols.back().data() - 1 - begin));
          return std::string();
        },
        [](const supportnlp::io::RecordIssue&) {});
    std::shuffle(out.begin(), out.end(), std::mt19937(42));
    return out;
  }();
  return texts;
}

const std::vector<std::string>& texts_for(int input) {
  return input == 0 ? sentences() : supportnlp::bench::sample_tickets_300b();
}

const char* input_name(int input) {
  return input == 0 ? "sentences" : "tickets300";
}

struct OursSetup {
  std::string path;
  std::optional<supportnlp::text::LanguageIdentifier> model;
  std::string error;
};

const OursSetup& ours() {
  static const OursSetup setup = [] {
    OursSetup s;
    const char* env = std::getenv("SUPPORTNLP_LANGID_MODEL");
    s.path = env ? env : SUPPORTNLP_SOURCE_DIR "/data/models/langid.snlp";
    auto loaded = supportnlp::text::LanguageIdentifier::load(s.path);
    if (loaded)
      s.model = std::move(loaded.value());
    else
      s.error = loaded.error().message;
    return s;
  }();
  return setup;
}

struct FastTextSetup {
  std::string path = SUPPORTNLP_SHARED_DIR "/datasets/langid/peers/lid.176.ftz";
  std::unique_ptr<fasttext::FastText> model;
  std::string error;
};

const FastTextSetup& lid176() {
  static const FastTextSetup setup = [] {
    FastTextSetup s;
    try {
      auto m = std::make_unique<fasttext::FastText>();
      m->loadModel(s.path);
      s.model = std::move(m);
    } catch (const std::exception& e) {
      s.error = std::string("lid.176.ftz: ") + e.what();
    }
    return s;
  }();
  return setup;
}

void finish(benchmark::State& state, const std::vector<std::string>& texts, std::size_t bytes) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetLabel(input_name(static_cast<int>(state.range(0))));
  state.counters["texts"] = static_cast<double>(texts.size());
}

void BM_LangidOurs(benchmark::State& state) {
  const auto& setup = ours();
  if (!setup.model) {
    state.SkipWithError(setup.error.c_str());
    return;
  }
  const auto& texts = texts_for(static_cast<int>(state.range(0)));
  supportnlp::text::LanguageResult r;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& t = texts[i++ % texts.size()];
    setup.model->identify(t, 1, r); // top-1, like the peers' answers
    benchmark::DoNotOptimize(r.code.data());
    bytes += t.size();
  }
  finish(state, texts, bytes);
  state.counters["model_bytes"] = file_bytes(setup.path);
}
BENCHMARK(BM_LangidOurs)->Arg(0)->Arg(1);

void BM_LangidCLD2(benchmark::State& state) {
  const auto& texts = texts_for(static_cast<int>(state.range(0)));
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& t = texts[i++ % texts.size()];
    auto lang = supportnlp::bench::cld2_detect(t.data(), t.size());
    benchmark::DoNotOptimize(lang);
    bytes += t.size();
  }
  finish(state, texts, bytes);
}
BENCHMARK(BM_LangidCLD2)->Arg(0)->Arg(1);

void BM_LangidFastText(benchmark::State& state) {
  const auto& setup = lid176();
  if (!setup.model) {
    state.SkipWithError(setup.error.c_str());
    return;
  }
  const auto& texts = texts_for(static_cast<int>(state.range(0)));
  std::istringstream in;
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& t = texts[i++ % texts.size()];
    const auto& label = supportnlp::bench::fasttext_detect(*setup.model, t, in, predictions);
    benchmark::DoNotOptimize(label.data());
    bytes += t.size();
  }
  finish(state, texts, bytes);
  state.counters["model_bytes"] = file_bytes(setup.path);
}
BENCHMARK(BM_LangidFastText)->Arg(0)->Arg(1);

} // namespace
