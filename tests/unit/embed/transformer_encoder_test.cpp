// TransformerEncoder end to end (issue 14): text -> the folder's tokenizer ->
// forward pass -> unit vector, against the PyTorch reference vectors of
// tests/data/transformer; options, errors and concurrent use.
#include <catch2/catch.hpp>

#include "supportnlp/embed/transformer_encoder.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace supportnlp;
using embed::TransformerEncoder;

namespace {

const std::string kFixtures = std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/transformer/";

nlohmann::json reference(const std::string& name) {
  std::ifstream in(kFixtures + name + "/reference.json");
  return nlohmann::json::parse(in);
}

double max_diff(const float* ours, const nlohmann::json& ref) {
  double worst = 0;
  for (std::size_t j = 0; j < ref.size(); ++j)
    worst = std::max(worst, std::abs(static_cast<double>(ours[j]) - ref[j].get<double>()));
  return worst;
}

} // namespace

TEST_CASE("TransformerEncoder: text gives the reference vector of the folder's pooling",
          "[embed][transformer]") {
  for (const char* name : {"bert-prefixed", "bert-bare", "xlmr"}) {
    INFO(name);
    auto enc = TransformerEncoder::load(kFixtures + name);
    if (!enc) FAIL(enc.error().message);
    const auto ref = reference(name);
    const auto pooling = ref["folder_pooling"].get<std::string>();
    CHECK(enc->pooling() == pooling);
    CHECK(enc->max_seq_length() == ref["max_seq_length"].get<int>());
    CHECK(enc->model_type() == ref["model_type"].get<std::string>());
    const auto& expected = ref["pooled"][pooling]["normalized"];
    std::vector<std::string_view> texts;
    for (std::size_t i = 0; i < ref["cases"].size(); ++i) {
      const auto& c = ref["cases"][i];
      INFO(c["name"].get<std::string>());
      texts.push_back(c["text"].get_ref<const std::string&>());
      // The tokenizer gives the ids the reference was computed from,
      // truncated to max_seq_length.
      CHECK(enc->token_ids(texts.back()) == c["ids"].get<std::vector<std::int32_t>>());
      const auto v = enc->encode(texts.back());
      REQUIRE(static_cast<int>(v.size()) == enc->dim());
      CHECK(max_diff(v.data(), expected[i]) <= 1e-5);
    }
    std::vector<float> batch(texts.size() * static_cast<std::size_t>(enc->dim()));
    enc->encode_batch(texts, batch.data());
    for (std::size_t i = 0; i < texts.size(); ++i)
      CHECK(max_diff(batch.data() + i * enc->dim(), expected[i]) <= 1e-5);
  }
}

TEST_CASE("TransformerEncoder: options", "[embed][transformer]") {
  const auto ref = reference("bert-prefixed");
  SECTION("pooling override") {
    embed::TransformerEncoderOptions o;
    o.pooling = embed::TransformerPooling::max;
    o.threads = 2;
    auto enc = TransformerEncoder::load(kFixtures + "bert-prefixed", o);
    REQUIRE(enc.ok());
    CHECK(std::string(enc->pooling()) == "max");
    std::vector<std::vector<std::int32_t>> ids;
    for (const auto& c : ref["cases"])
      ids.push_back(c["full_ids"].get<std::vector<std::int32_t>>());
    std::vector<float> out(ids.size() * static_cast<std::size_t>(enc->dim()));
    enc->encode_ids(ids, out.data());
    for (std::size_t i = 0; i < ids.size(); ++i)
      CHECK(max_diff(out.data() + i * enc->dim(), ref["pooled"]["max"]["normalized"][i]) <= 1e-5);
  }
  SECTION("shorter truncation changes long texts only") {
    embed::TransformerEncoderOptions o;
    o.max_seq_length = 8;
    auto short_enc = TransformerEncoder::load(kFixtures + "bert-prefixed", o);
    auto enc = TransformerEncoder::load(kFixtures + "bert-prefixed");
    REQUIRE(short_enc.ok());
    REQUIRE(enc.ok());
    CHECK(short_enc->max_seq_length() == 8);
    CHECK(short_enc->token_ids("please help, I was charged twice for the subscription").size() ==
          8);
    CHECK(short_enc->encode("reset password") == enc->encode("reset password"));
    CHECK(short_enc->fingerprint() != enc->fingerprint());
  }
  SECTION("invalid options") {
    embed::TransformerEncoderOptions o;
    o.threads = 0;
    CHECK(TransformerEncoder::load(kFixtures + "bert-prefixed", o).error().code ==
          ErrorCode::invalid_argument);
    o.threads = 1;
    o.max_seq_length = 1;
    CHECK(TransformerEncoder::load(kFixtures + "bert-prefixed", o).error().code ==
          ErrorCode::invalid_argument);
  }
}

TEST_CASE("TransformerEncoder: empty text, fingerprints, errors", "[embed][transformer]") {
  auto a = TransformerEncoder::load(kFixtures + "bert-prefixed");
  auto b = TransformerEncoder::load(kFixtures + "bert-bare");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const auto zero = a->encode("");
  CHECK(std::all_of(zero.begin(), zero.end(), [](float x) { return x == 0.0f; }));
  const auto v = a->encode("\xff\xfe broken utf-8 \xc3");
  double norm = 0;
  for (float x : v)
    norm += static_cast<double>(x) * x;
  CHECK(norm == Approx(1.0).epsilon(1e-5));
  CHECK(a->fingerprint().rfind("transformer/bert/32/mean/16/", 0) == 0);
  CHECK(a->fingerprint() != b->fingerprint());
  CHECK(a->fingerprint() == TransformerEncoder::load(kFixtures + "bert-prefixed")->fingerprint());

  auto missing = TransformerEncoder::load(kFixtures + "no-such-model");
  REQUIRE(!missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
  CHECK(missing.error().message.find("config.json") != std::string::npos);
}

TEST_CASE("TransformerEncoder: concurrent encode gives the serial vectors",
          "[embed][transformer]") {
  auto enc = TransformerEncoder::load(kFixtures + "xlmr");
  REQUIRE(enc.ok());
  const auto ref = reference("xlmr");
  std::vector<std::string> texts;
  std::vector<std::vector<float>> serial;
  for (const auto& c : ref["cases"]) {
    texts.push_back(c["text"].get<std::string>());
    serial.push_back(enc->encode(texts.back()));
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t)
    pool.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round)
        for (std::size_t i = 0; i < texts.size(); ++i)
          if (enc->encode(texts[(i + t) % texts.size()]) != serial[(i + t) % texts.size()])
            ++mismatches[t];
    });
  for (auto& th : pool)
    th.join();
  for (int m : mismatches)
    CHECK(m == 0);
}
