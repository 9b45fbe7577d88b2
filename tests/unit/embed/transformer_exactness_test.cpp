// The transformer forward pass against the PyTorch reference (issue 14):
// tests/data/transformer/*/reference.json, written by
// scripts/transformer_fixtures.py from the same random weights. Every
// fixture x pooling x (raw, normalised) x (whole batch packed, each text
// alone, two threads) must be within 1e-5 max abs per dimension. The table
// of the largest differences is printed (ctest -V).
#include <catch2/catch.hpp>

#include "embed/transformer/bert_model.hpp"
#include "embed/transformer/hf_folder.hpp"
#include "embed/transformer/safetensors.hpp"
#include "supportnlp/cpu/cpu.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace supportnlp::embed::transformer;

namespace {

const std::string kFixtures = std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/transformer/";

nlohmann::json read_reference(const std::string& folder) {
  std::ifstream in(folder + "/reference.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

BertModel load_model(const std::string& folder) {
  auto cfg = read_hf_folder(folder);
  REQUIRE(cfg.ok());
  auto st = SafeTensors::open(folder + "/model.safetensors");
  REQUIRE(st.ok());
  auto model = BertModel::load(cfg->model, std::move(st).value());
  if (!model) FAIL(model.error().message);
  return std::move(model).value();
}

// Largest |ours - reference| over rows `rows` of a texts x hidden matrix.
double max_diff(const std::vector<float>& ours, const nlohmann::json& ref,
                const std::vector<std::size_t>& rows, std::size_t hidden) {
  double worst = 0;
  for (std::size_t r : rows)
    for (std::size_t j = 0; j < hidden; ++j)
      worst = std::max(
          worst, std::abs(static_cast<double>(ours[r * hidden + j]) - ref[r][j].get<double>()));
  return worst;
}

} // namespace

// Tagged [kernels]: ctest also runs it with SUPPORTNLP_CPU=portable, so both
// builds of the forward pass (baseline and AVX2 + FMA) are checked.
TEST_CASE("transformer forward pass matches the PyTorch reference within 1e-5",
          "[embed][transformer][kernels]") {
  std::printf("\nforward pass at cpu level %s\n",
              supportnlp::cpu::isa_name(supportnlp::cpu::active_isa()));
  std::printf("%-14s %-5s %-10s %-12s %-12s %-12s %-12s\n", "fixture", "pool", "output",
              "packed batch", "each alone", "2 threads", "truncated");
  for (const char* name : {"bert-prefixed", "bert-bare", "xlmr"}) {
    const std::string folder = kFixtures + name;
    const auto ref = read_reference(folder);
    const BertModel model = load_model(folder);
    const auto hidden = static_cast<std::size_t>(model.config().hidden);
    const auto max_len = ref["max_seq_length"].get<std::size_t>();

    // The untruncated ids: the model truncates them as the tokenizers do.
    std::vector<std::vector<std::int32_t>> ids;
    std::vector<std::size_t> all, cut;
    for (const auto& c : ref["cases"]) {
      ids.push_back(c["full_ids"].get<std::vector<std::int32_t>>());
      all.push_back(all.size());
      if (c["truncated"].get<bool>()) cut.push_back(all.size() - 1);
    }
    REQUIRE(!cut.empty());
    std::vector<IdSpan> spans;
    for (const auto& v : ids)
      spans.push_back({v.data(), v.size()});
    // Padding in a batch really happens: the texts have different lengths.
    REQUIRE(std::any_of(ids.begin(), ids.end(),
                        [&](const auto& v) { return std::min(v.size(), max_len) < max_len; }));

    for (Pooling pooling : {Pooling::mean, Pooling::cls, Pooling::max}) {
      for (bool normalize : {false, true}) {
        const auto& expected =
            ref["pooled"][pooling_name(pooling)][normalize ? "normalized" : "raw"];
        REQUIRE(expected.size() == ids.size());
        std::vector<float> batch(ids.size() * hidden), alone(ids.size() * hidden),
            threaded(ids.size() * hidden);
        model.forward(spans.data(), spans.size(), max_len, pooling, normalize, 1, batch.data());
        for (std::size_t i = 0; i < spans.size(); ++i)
          model.forward(&spans[i], 1, max_len, pooling, normalize, 1, alone.data() + i * hidden);
        model.forward(spans.data(), spans.size(), max_len, pooling, normalize, 2, threaded.data());

        const double d_batch = max_diff(batch, expected, all, hidden);
        const double d_alone = max_diff(alone, expected, all, hidden);
        const double d_threads = max_diff(threaded, expected, all, hidden);
        const double d_cut = max_diff(batch, expected, cut, hidden);
        std::printf("%-14s %-5s %-10s %-12.2e %-12.2e %-12.2e %-12.2e\n", name,
                    pooling_name(pooling), normalize ? "normalized" : "raw", d_batch, d_alone,
                    d_threads, d_cut);
        INFO(name << " " << pooling_name(pooling) << (normalize ? " normalized" : " raw"));
        CHECK(d_batch <= 1e-5);
        CHECK(d_alone <= 1e-5);
        CHECK(d_threads <= 1e-5);
      }
    }
  }
}

TEST_CASE("transformer forward pass: the reference vectors differ between fixtures' poolings",
          "[embed][transformer]") {
  // Guards the exactness test against a degenerate fixture: the pooling modes
  // must give clearly different vectors, and truncation must matter.
  const auto ref = read_reference(kFixtures + "bert-prefixed");
  const auto& mean = ref["pooled"]["mean"]["normalized"][0];
  const auto& cls = ref["pooled"]["cls"]["normalized"][0];
  double diff = 0;
  for (std::size_t j = 0; j < mean.size(); ++j)
    diff = std::max(diff, std::abs(mean[j].get<double>() - cls[j].get<double>()));
  CHECK(diff > 0.05);

  const BertModel model = load_model(kFixtures + "bert-prefixed");
  const auto hidden = static_cast<std::size_t>(model.config().hidden);
  for (const auto& c : ref["cases"]) {
    if (!c["truncated"].get<bool>()) continue;
    const auto full = c["full_ids"].get<std::vector<std::int32_t>>();
    const IdSpan span{full.data(), full.size()};
    std::vector<float> truncated(hidden), longer(hidden);
    model.forward(&span, 1, ref["max_seq_length"].get<std::size_t>(), Pooling::mean, true, 1,
                  truncated.data());
    model.forward(&span, 1, full.size(), Pooling::mean, true, 1, longer.data());
    double d = 0;
    for (std::size_t j = 0; j < hidden; ++j)
      d = std::max(d, static_cast<double>(std::abs(truncated[j] - longer[j])));
    CHECK(d > 1e-3);
  }
}
