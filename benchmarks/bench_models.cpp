// Intent prediction throughput, single thread, short texts (BANKING77 test
// queries), loaded model: supportnlp's IntentClassifier against fastText
// (wordNgrams 2, the peer) in the same binary on the same texts, each from
// raw text to top-1 label (fastText via predictLine, which includes its own
// tokenization). Both models are trained on BANKING77 train at setup, unless
// SUPPORTNLP_INTENT_MODEL / FASTTEXT_MODEL name existing files (e.g. those
// written by benchmarks/eval/intent.sh with KEEP_FASTTEXT=1).
// SUPPORTNLP_INTENT_TEXTS names a text<TAB>label file to predict instead of
// BANKING77 test (e.g. the default routing model's held-out split, written
// by scripts/train-default-models.sh). Model file sizes are reported as
// counters.
#include <benchmark/benchmark.h>

#include <supportnlp/models/intent/intent.hpp>

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

std::string banking(const char* split) {
  return std::string(SUPPORTNLP_SHARED_DIR) + "/datasets/banking77/" + split;
}

double file_bytes(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? double(st.st_size) : 0.0;
}

const std::vector<std::string>& intent_texts() {
  static const std::vector<std::string> cached = [] {
    std::vector<std::string> out;
    const char* env = std::getenv("SUPPORTNLP_INTENT_TEXTS");
    auto test = supportnlp::models::read_labeled_file(env ? env : banking("test.tsv"), nullptr);
    if (test)
      for (auto& e : *test)
        out.push_back(e.text);
    if (out.empty()) out = {"where is my card?", "I want a refund", "how do I top up"};
    return out;
  }();
  return cached;
}

struct IntentSetup {
  std::string path;
  std::optional<supportnlp::models::IntentClassifier> model;
  std::string error;
};

const IntentSetup& intent_model() {
  static const IntentSetup setup = [] {
    IntentSetup s;
    if (const char* env = std::getenv("SUPPORTNLP_INTENT_MODEL")) {
      s.path = env;
    } else {
      s.path = "/tmp/bench_models_intent_" + std::to_string(::getpid()) + ".snlp";
      auto train = supportnlp::models::read_labeled_file(banking("train.tsv"), nullptr);
      if (!train) {
        s.error = train.error().message;
        return s;
      }
      auto o = supportnlp::models::IntentClassifier::default_options();
      o.threads = 2;
      auto m = supportnlp::models::IntentClassifier::train(*train, {}, o);
      if (!m || !m->save(s.path)) {
        s.error = "training the intent model failed";
        return s;
      }
    }
    auto loaded = supportnlp::models::IntentClassifier::load(s.path);
    if (!loaded) {
      s.error = loaded.error().message;
      return s;
    }
    s.model = std::move(loaded.value());
    return s;
  }();
  return setup;
}

struct FastTextSetup {
  std::string path;
  std::unique_ptr<fasttext::FastText> model;
};

const FastTextSetup& fasttext_model() {
  static const FastTextSetup setup = [] {
    FastTextSetup s;
    s.model = std::make_unique<fasttext::FastText>();
    if (const char* env = std::getenv("FASTTEXT_MODEL")) {
      s.path = env;
      s.model->loadModel(s.path);
      return s;
    }
    // Shuffled copy of the training file in fastText's format.
    auto train = supportnlp::models::read_labeled_file(banking("train.tsv"), nullptr);
    std::vector<std::string> lines;
    if (train)
      for (auto& e : *train)
        lines.push_back("__label__" + e.label + " " + e.text);
    std::shuffle(lines.begin(), lines.end(), std::mt19937(42));
    const std::string input = "/tmp/bench_models_ft_" + std::to_string(::getpid()) + ".txt";
    {
      std::ofstream out(input);
      for (auto& l : lines)
        out << l << '\n';
    }
    fasttext::Args a;
    a.input = input;
    a.output = "/tmp/bench_models_ft_" + std::to_string(::getpid());
    a.model = fasttext::model_name::sup;
    a.loss = fasttext::loss_name::softmax;
    a.minCount = 1;
    a.epoch = 25;
    a.lr = 1.0;
    a.wordNgrams = 2;
    // fasttext::Args() starts from the unsupervised defaults (char n-grams
    // 3-6); `fasttext supervised` resets them to 0, and that is the peer.
    a.minn = 0;
    a.maxn = 0;
    a.thread = 2;
    a.verbose = 0;
    a.seed = 42;
    s.model->train(a);
    s.path = a.output + ".bin";
    s.model->saveModel(s.path);
    std::remove(input.c_str());
    return s;
  }();
  return setup;
}

void BM_IntentPredict(benchmark::State& state) {
  const auto& setup = intent_model();
  if (!setup.model) {
    state.SkipWithError(setup.error.c_str());
    return;
  }
  const auto& texts = intent_texts();
  const auto& clf = setup.model->classifier();
  supportnlp::models::Prediction p;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& t = texts[i++ % texts.size()];
    clf.predict(t, 1, p);
    benchmark::DoNotOptimize(p.label);
    bytes += t.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["model_bytes"] = file_bytes(setup.path);
}
BENCHMARK(BM_IntentPredict);

void BM_IntentClassifyStrings(benchmark::State& state) {
  // The convenience API that returns label strings (one allocation per call).
  const auto& setup = intent_model();
  if (!setup.model) {
    state.SkipWithError(setup.error.c_str());
    return;
  }
  const auto& texts = intent_texts();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = setup.model->classify(texts[i++ % texts.size()], 1);
    benchmark::DoNotOptimize(r.confidence);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IntentClassifyStrings);

// ~300-byte tickets: consecutive test queries joined until 300 bytes.
const std::vector<std::string>& ticket_texts() {
  static const std::vector<std::string> cached = [] {
    std::vector<std::string> out;
    std::string t;
    for (const auto& q : intent_texts()) {
      t += t.empty() ? q : " " + q;
      if (t.size() >= 300) out.push_back(std::move(t)), t.clear();
    }
    if (out.empty()) out.push_back(t);
    return out;
  }();
  return cached;
}

// Intent of a 300-byte ticket with its explanation (5 spans each way), the
// Analyzer's use: one pass (predict_explain) against predict then explain.
void BM_IntentTicket(benchmark::State& state) {
  const auto& setup = intent_model();
  if (!setup.model) {
    state.SkipWithError(setup.error.c_str());
    return;
  }
  const auto& texts = ticket_texts();
  const auto& clf = setup.model->classifier();
  supportnlp::models::Prediction p;
  supportnlp::models::Explanation why;
  const int mode = static_cast<int>(state.range(0));
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& t = texts[i++ % texts.size()];
    if (mode == 0) {
      clf.predict(t, 3, p);
    } else if (mode == 1) {
      clf.predict_explain(t, 3, 5, p, why);
    } else {
      clf.predict(t, 3, p);
      why = clf.explain(t, p.label, 5);
    }
    benchmark::DoNotOptimize(p.label);
    benchmark::DoNotOptimize(why.toward.data());
    bytes += t.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetLabel(mode == 0 ? "predict" : mode == 1 ? "predict_explain" : "predict+explain");
}
BENCHMARK(BM_IntentTicket)->Arg(0)->Arg(1)->Arg(2);

void BM_FastTextPredictLine(benchmark::State& state) {
  const auto& setup = fasttext_model();
  const auto& texts = intent_texts();
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  std::istringstream in;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& t = texts[i++ % texts.size()];
    in.clear();
    in.str(t + "\n");
    setup.model->predictLine(in, predictions, 1, 0.0);
    benchmark::DoNotOptimize(predictions.data());
    bytes += t.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["model_bytes"] = file_bytes(setup.path);
}
BENCHMARK(BM_FastTextPredictLine);

} // namespace
