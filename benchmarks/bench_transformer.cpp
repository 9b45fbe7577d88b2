// TransformerEncoder speed against PyTorch and ONNX Runtime in the same run
// (issue 14), on a full-size all-MiniLM-L6-v2-shaped model with random
// weights (6 layers, hidden 384, 12 heads, intermediate 1536, vocab 30522):
//
//   query16  one 16-token query ([CLS] + 14 + [SEP])
//   batch32  32 support-ticket-sized texts of 20-200 tokens, one call
//
// on 1 and 2 threads, float32 and int8 (the folder converted with `convert
// encoder --int8`, loaded from that file). All three get the same token ids (tokenization is not
// timed; the peers get ids too). Ours packs the batch (no padding); the peers
// get it padded to the longest text with an attention mask, as they are used.
//
// The model is written at run time by scripts/transformer_fixtures.py
// --full-minilm (Debian's python3-torch), into $SUPPORTNLP_BENCH_MINILM or
// ${TMPDIR:-/tmp}/supportnlp-bench-minilm, once. Peers, each a subprocess
// that times its own runs (after one warm-up) and hands back one time per
// repeat, recorded here with manual time:
//   pytorch      the script's plain PyTorch forward pass (--torch-bench), float32.
//                Debian's python3-torch does its matrix products in whatever
//                libblas.so.3 is selected; with the reference BLAS it is ~20x
//                slower, so run with OpenBLAS (LD_LIBRARY_PATH to
//                libopenblas0-pthread's libblas.so.3; docs/encoders.md).
//   onnxruntime  model.onnx (torch.onnx.export) in ONNX Runtime's CPU provider
//                through the npm package onnxruntime-node
//                (benchmarks/bench_transformer_ort.js), found at configure time.
// A peer that is missing is skipped with a message. After the table, the
// ratios peer time / our time are printed (> 1: we are faster), int8's
// speed-up over our float32, the int8 vectors' cosine to float32's on the
// batch, and the sizes of the converted files.
#include <benchmark/benchmark.h>

#include "supportnlp/embed/transformer_encoder.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <sys/stat.h>
#include <vector>

using supportnlp::embed::TransformerEncoder;

namespace {

constexpr int kRepeats = 5; // peer repeats and our iterations of batch32

bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

std::string run_command(const std::string& cmd) {
  std::string out;
  if (FILE* f = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
      out.append(buf, n);
    if (::pclose(f) != 0) out.clear();
  }
  return out;
}

struct Setup {
  std::string dir, ids_file, error;
  std::vector<std::vector<std::int32_t>> query, batch;
  std::size_t batch_tokens = 0;
  std::map<int, std::unique_ptr<TransformerEncoder>> encoders; // by threads
  std::map<int, std::unique_ptr<TransformerEncoder>> int8;     // by threads, from the file
  std::string f32_file, int8_file;
};

const Setup& setup() {
  static const Setup s = [] {
    Setup s;
    const char* env = std::getenv("SUPPORTNLP_BENCH_MINILM");
    const char* tmp = std::getenv("TMPDIR");
    s.dir = env ? env : std::string(tmp ? tmp : "/tmp") + "/supportnlp-bench-minilm";
    if (!exists(s.dir + "/model.onnx")) {
      std::cerr << "writing the random MiniLM-L6-shaped model to " << s.dir << " ...\n";
      const std::string cmd = "/usr/bin/python3 " SUPPORTNLP_SOURCE_DIR
                              "/scripts/transformer_fixtures.py --full-minilm '" +
                              s.dir + "' 2>&1";
      if (std::system(cmd.c_str()) != 0 || !exists(s.dir + "/model.onnx")) {
        s.error = "could not write the model (needs python3-torch): " + cmd;
        return s;
      }
    }
    // Fixed inputs: [CLS] random ids [SEP].
    std::mt19937 rng(14);
    std::uniform_int_distribution<int> id(1000, 29999), len(20, 200);
    const auto text = [&](int n) {
      std::vector<std::int32_t> t{101};
      for (int i = 0; i < n - 2; ++i)
        t.push_back(id(rng));
      t.push_back(102);
      return t;
    };
    s.query.push_back(text(16));
    for (int i = 0; i < 32; ++i) {
      s.batch.push_back(text(len(rng)));
      s.batch_tokens += s.batch.back().size();
    }
    s.ids_file = s.dir + "/bench_ids.json";
    std::ofstream(s.ids_file) << nlohmann::json{{"query", s.query}, {"batch", s.batch}}.dump();
    for (int threads : {1, 2}) {
      supportnlp::embed::TransformerEncoderOptions o;
      o.threads = threads;
      auto enc = TransformerEncoder::load(s.dir, o);
      if (!enc) {
        s.error = enc.error().message;
        return s;
      }
      s.encoders[threads] = std::make_unique<TransformerEncoder>(std::move(enc).value());
    }
    // The converted files, written once per run (a few seconds).
    s.f32_file = s.dir + "/converted.f32.snlp";
    s.int8_file = s.dir + "/converted.int8.snlp";
    if (auto r = s.encoders[1]->save(s.f32_file); !r) {
      s.error = r.error().message;
      return s;
    }
    {
      supportnlp::embed::TransformerEncoderOptions o;
      o.int8 = true;
      auto q = TransformerEncoder::load(s.dir, o);
      if (!q || !q->save(s.int8_file)) {
        s.error = q ? "cannot write " + s.int8_file : q.error().message;
        return s;
      }
    }
    for (int threads : {1, 2}) {
      supportnlp::embed::TransformerEncoderOptions o;
      o.threads = threads;
      auto enc = TransformerEncoder::load(s.int8_file, o);
      if (!enc) {
        s.error = enc.error().message;
        return s;
      }
      s.int8[threads] = std::make_unique<TransformerEncoder>(std::move(enc).value());
    }
    return s;
  }();
  return s;
}

const std::vector<std::vector<std::int32_t>>& inputs(const Setup& s, bool batch) {
  return batch ? s.batch : s.query;
}

void report(benchmark::State& state, const Setup& s, bool batch) {
  const auto& in = inputs(s, batch);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(in.size()));
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) *
                             static_cast<double>(batch ? s.batch_tokens : s.query[0].size()),
                         benchmark::Counter::kIsRate);
}

void BM_ours(benchmark::State& state, bool batch, bool int8) {
  const Setup& s = setup();
  if (!s.error.empty()) {
    state.SkipWithError(s.error.c_str());
    return;
  }
  const auto& enc = *(int8 ? s.int8 : s.encoders).at(static_cast<int>(state.range(0)));
  const auto& in = inputs(s, batch);
  std::vector<float> out(in.size() * static_cast<std::size_t>(enc.dim()));
  for (auto _ : state) {
    enc.encode_ids(in, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  report(state, s, batch);
}

// One peer run per (peer, threads), cached: {"query": [s...], "batch": [s...]}.
const nlohmann::json& peer_times(const std::string& peer, int threads) {
  static std::map<std::pair<std::string, int>, nlohmann::json> cache;
  auto key = std::make_pair(peer, threads);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  const Setup& s = setup();
  std::string cmd;
  const std::string t = std::to_string(threads), r = std::to_string(kRepeats);
  if (peer == "pytorch") {
    cmd = "OPENBLAS_NUM_THREADS=" + t + " OMP_NUM_THREADS=" + t +
          " /usr/bin/python3 " SUPPORTNLP_SOURCE_DIR "/scripts/transformer_fixtures.py "
          "--torch-bench '" +
          s.dir + "' --ids '" + s.ids_file + "' --threads " + t + " --repeats " + r;
  } else {
#ifdef SUPPORTNLP_ORT_NODE_MODULES
    cmd = "NODE_PATH='" SUPPORTNLP_ORT_NODE_MODULES "' node " SUPPORTNLP_SOURCE_DIR
          "/benchmarks/bench_transformer_ort.js '" +
          s.dir + "/model.onnx' '" + s.ids_file + "' " + t + " " + r;
#endif
  }
  const std::string out = cmd.empty() ? std::string() : run_command(cmd);
  nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
  return cache[key] = j.is_object() ? j : nlohmann::json();
}

void BM_peer(benchmark::State& state, const std::string& peer, bool batch) {
  const Setup& s = setup();
  if (!s.error.empty()) {
    state.SkipWithError(s.error.c_str());
    return;
  }
  const auto& times = peer_times(peer, static_cast<int>(state.range(0)));
  if (times.is_null()) {
    state.SkipWithError((peer + " is not available (see the file comment)").c_str());
    return;
  }
  const auto& list = times[batch ? "batch" : "query"];
  std::size_t i = 0;
  for (auto _ : state)
    state.SetIterationTime(list[i++ % list.size()].get<double>());
  report(state, s, batch);
}

// Collects each run's time per iteration for the ratio table.
class RatioReporter : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run>& runs) override {
    // Keyed "who/input/threads:N": the name up to its thread count.
    for (const Run& r : runs) {
      const std::string name = r.benchmark_name();
      const auto at = name.find("/threads:");
      if (r.error_occurred || r.iterations == 0 || at == std::string::npos) continue;
      seconds[name.substr(0, at + 10)] =
          r.real_accumulated_time / static_cast<double>(r.iterations);
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> seconds;
};

} // namespace

int main(int argc, char** argv) {
  for (int threads : {1, 2}) {
    for (bool batch : {false, true}) {
      const std::string what = batch ? "batch32" : "query16";
      for (bool int8 : {false, true}) {
        auto* ours = benchmark::RegisterBenchmark(((int8 ? "ours_int8/" : "ours/") + what).c_str(),
                                                  BM_ours, batch, int8);
        ours->Arg(threads)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();
        if (batch) ours->Iterations(kRepeats);
      }
      for (const char* peer : {"onnxruntime", "pytorch"}) {
        benchmark::RegisterBenchmark((std::string(peer) + "/" + what).c_str(), BM_peer,
                                     std::string(peer), batch)
            ->Arg(threads)
            ->ArgName("threads")
            ->Unit(benchmark::kMillisecond)
            ->UseManualTime()
            ->Iterations(kRepeats);
      }
    }
  }
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nratio = peer time / ours (> 1: ours is faster)\n%-10s %-8s %10s %10s %12s %12s "
              "%12s %12s %12s\n",
              "input", "threads", "ours ms", "int8 ms", "int8 speedup", "ort/ours", "pt/ours",
              "ort/int8", "pt/int8");
  const auto ratio = [](double peer, double ours) {
    return peer > 0 && ours > 0 ? std::to_string(peer / ours).substr(0, 5) + "x" : std::string("-");
  };
  for (int threads : {1, 2}) {
    for (const char* what : {"query16", "batch32"}) {
      const std::string suffix = std::string("/") + what + "/threads:" + std::to_string(threads);
      auto get = [&](const std::string& who) {
        auto it = reporter.seconds.find(who + suffix);
        return it == reporter.seconds.end() ? -1.0 : it->second;
      };
      const double ours = get("ours"), int8 = get("ours_int8");
      const double ort = get("onnxruntime"), pt = get("pytorch");
      if (ours <= 0) continue;
      std::printf("%-10s %-8d %10.2f %10.2f %12s %12s %12s %12s %12s\n", what, threads, ours * 1e3,
                  int8 * 1e3, ratio(ours, int8).c_str(), ratio(ort, ours).c_str(),
                  ratio(pt, ours).c_str(), ratio(ort, int8).c_str(), ratio(pt, int8).c_str());
    }
  }
  const Setup& s = setup();
  if (s.error.empty()) {
    // int8 against float32 on the batch and the query: cosine per text.
    const std::size_t dim = static_cast<std::size_t>(s.encoders.at(1)->dim());
    double lo = 1, sum = 0;
    std::size_t n = 0;
    for (const auto* in : {&s.batch, &s.query}) {
      std::vector<float> a(in->size() * dim), b(in->size() * dim);
      s.encoders.at(1)->encode_ids(*in, a.data());
      s.int8.at(1)->encode_ids(*in, b.data());
      for (std::size_t i = 0; i < in->size(); ++i) {
        double ab = 0, aa = 0, bb = 0;
        for (std::size_t j = 0; j < dim; ++j) {
          ab += double(a[i * dim + j]) * b[i * dim + j];
          aa += double(a[i * dim + j]) * a[i * dim + j];
          bb += double(b[i * dim + j]) * b[i * dim + j];
        }
        const double c = ab / std::sqrt(aa * bb);
        lo = std::min(lo, c);
        sum += c;
        ++n;
      }
    }
    struct stat f32 {
    }, i8{}, st{};
    ::stat(s.f32_file.c_str(), &f32);
    ::stat(s.int8_file.c_str(), &i8);
    ::stat((s.dir + "/model.safetensors").c_str(), &st);
    std::printf("\nint8 vs float32 cosine over %zu texts (batch + query): min %.5f, mean %.5f\n"
                "files: model.safetensors %lld bytes, converted f32 %lld bytes, converted int8 "
                "%lld bytes\n",
                n, lo, sum / static_cast<double>(n), static_cast<long long>(st.st_size),
                static_cast<long long>(f32.st_size), static_cast<long long>(i8.st_size));
  }
  benchmark::Shutdown();
  return 0;
}
