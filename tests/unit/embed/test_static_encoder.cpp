// StaticEncoder: training determinism, file round trips, bad input, threads.
#include <catch2/catch.hpp>

#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/io/model_file.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <thread>

using namespace supportnlp;
using embed::StaticEncoder;

namespace {

float dot(const std::vector<float>& a, const std::vector<float>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0f);
}

embed::StaticEncoderTrainOptions small_options() {
  embed::StaticEncoderTrainOptions o;
  const char* groups[][5] = {
      {"reset my password", "forgot my password", "password reset link not working",
       "how do i change my password", "i need a new password"},
      {"where is my parcel", "my package has not arrived", "track my delivery",
       "when will my order arrive", "parcel still not delivered"},
      {"i want a refund", "refund my money please", "how do i get my money back",
       "request a refund for my order", "can i get a refund"},
      {"cancel my subscription", "stop my plan", "how do i cancel my account plan",
       "end my subscription now", "i want to cancel the subscription"},
      {"update my card details", "change my payment card", "my card expired, update it",
       "add a new credit card", "replace the card on file"},
  };
  const char* labels[] = {"password", "delivery", "refund", "cancel", "card"};
  for (int g = 0; g < 5; ++g)
    for (const char* text : groups[g])
      o.examples.push_back({text, labels[g]});
  o.pairs.push_back({"Resetting your password", "Open settings and choose reset password."});
  o.pairs.push_back({"Resetting your password", "A reset link is mailed to you."});
  o.dim = 32;
  o.min_count = 1;
  o.epochs = 20;
  o.batch_size = 4;
  return o;
}

const StaticEncoder& small_encoder() {
  static const StaticEncoder enc = StaticEncoder::train(small_options()).value();
  return enc;
}

} // namespace

TEST_CASE("training is deterministic for a seed, whatever the thread count", "[embed][kernels]") {
  auto o = small_options();
  auto a = StaticEncoder::train(o);
  REQUIRE(a.ok());
  o.threads = 3;
  auto b = StaticEncoder::train(o);
  REQUIRE(b.ok());
  CHECK(a->serialize().value() == b->serialize().value());
  CHECK(a->fingerprint() == b->fingerprint());
  o.seed = 2;
  auto c = StaticEncoder::train(o);
  REQUIRE(c.ok());
  CHECK(a->fingerprint() != c->fingerprint());
}

TEST_CASE("training learns paraphrase groups it was given", "[embed]") {
  const auto& enc = small_encoder();
  auto anchor = enc.encode("forgot my password");
  CHECK(dot(anchor, enc.encode("reset my password")) >
        dot(anchor, enc.encode("track my delivery")));
  auto refund = enc.encode("i want a refund");
  CHECK(dot(refund, enc.encode("how do i get my money back")) >
        dot(refund, enc.encode("change my payment card")));
}

TEST_CASE("encode returns unit vectors, zero for empty or unknown text", "[embed][kernels]") {
  const auto& enc = small_encoder();
  REQUIRE(enc.dim() == 32);
  auto v = enc.encode("my parcel has not arrived");
  CHECK(dot(v, v) == Approx(1.0f).epsilon(1e-4));
  for (const char* empty : {"", "   ", "\t\n", "zzqxj"}) {
    auto z = enc.encode(empty);
    CHECK(std::all_of(z.begin(), z.end(), [](float x) { return x == 0.0f; }));
  }
}

TEST_CASE("invalid UTF-8 and huge texts are encoded without failing", "[embed]") {
  const auto& enc = small_encoder();
  auto bad = enc.encode(std::string("reset my \xff\xfe password \xc3"));
  CHECK(dot(bad, bad) == Approx(1.0f).epsilon(1e-4));
  CHECK(dot(bad, enc.encode("reset my password")) > 0.5f);
  std::string huge;
  while (huge.size() < (1u << 20) + 100)
    huge += "where is my parcel é ";
  auto h = enc.encode(huge);
  CHECK(std::all_of(h.begin(), h.end(), [](float x) { return std::isfinite(x); }));
  CHECK(dot(h, h) == Approx(1.0f).epsilon(1e-3));
}

TEST_CASE("encode_batch equals encode row by row", "[embed]") {
  const auto& enc = small_encoder();
  std::vector<std::string_view> texts{"i want a refund", "", "cancel my subscription"};
  std::vector<float> batch(texts.size() * enc.dim());
  enc.encode_batch(texts, batch.data());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto one = enc.encode(texts[i]);
    CHECK(std::equal(one.begin(), one.end(), batch.begin() + i * enc.dim()));
  }
}

TEST_CASE("encoding extracted features or their rows equals encoding the text",
          "[embed][kernels]") {
  // An encoder hashing a classifier's n-gram settings (the dense view's).
  auto o = small_options();
  o.char_ngram_min = 1;
  o.hash_buckets = 1u << 16;
  o.hash_seed = 0x1234;
  auto enc = StaticEncoder::train(o);
  REQUIRE(enc.ok());
  const features::NgramOptions f = enc->feature_options();
  CHECK(f.buckets == (1u << 16));
  CHECK(f.seed == 0x1234u);
  CHECK(f.char_min_n == 1);
  const text::Tokenizer tokenizer;
  const features::NgramExtractor extractor(f);
  text::TokenizedText tokens;
  features::SparseFeatures found;
  const auto dim = static_cast<std::size_t>(enc->dim());
  for (std::string text : {"i want a refund", "", "track my parcel please!", "zzzz qqqq",
                           "RESET my password at https://example.com"}) {
    const auto expected = enc->encode(text);
    tokenizer.tokenize(text, tokens);
    extractor.extract(tokens, found);
    std::vector<float> v(dim, 7.0f);
    enc->encode_features(found, v.data());
    std::vector<std::int32_t> rows;
    for (std::uint32_t b : found.index)
      rows.push_back(enc->feature_row(b));
    std::vector<float> r(dim, 7.0f);
    enc->encode_rows(rows.data(), found.value.data(), rows.size(), r.data());
    for (std::size_t d = 0; d < dim; ++d) {
      CHECK(v[d] == Approx(expected[d]).margin(1e-5));
      CHECK(r[d] == v[d]);
    }
  }
  // Out-of-range and missing rows are skipped, never read.
  const std::int32_t bad[] = {-1, enc->features(), 1 << 30};
  const float values[] = {1.0f, 1.0f, 1.0f};
  std::vector<float> z(dim, 7.0f);
  enc->encode_rows(bad, values, 3, z.data());
  CHECK(std::all_of(z.begin(), z.end(), [](float x) { return x == 0.0f; }));
  CHECK(enc->feature_row(0xffffffffu) == -1);
}

TEST_CASE("model files round trip", "[embed]") {
  const auto& enc = small_encoder();
  const char* texts[] = {"reset my password", "when will my order arrive", "refund"};

  SECTION("f32 storage reproduces the trained encoder") {
    auto loaded = StaticEncoder::from_bytes(enc.serialize(embed::WeightStorage::f32).value());
    REQUIRE(loaded.ok());
    CHECK(loaded->dim() == enc.dim());
    CHECK(loaded->features() == enc.features());
    for (const char* t : texts) {
      auto a = enc.encode(t), b = loaded->encode(t);
      for (int j = 0; j < enc.dim(); ++j)
        CHECK(a[j] == Approx(b[j]).margin(1e-6));
    }
  }
  SECTION("i8 storage is close, and re-saving it is bit-exact") {
    auto bytes = enc.serialize(embed::WeightStorage::i8).value();
    auto loaded = StaticEncoder::from_bytes(bytes);
    REQUIRE(loaded.ok());
    for (const char* t : texts)
      CHECK(dot(enc.encode(t), loaded->encode(t)) > 0.99f);
    CHECK(loaded->serialize(embed::WeightStorage::i8).value() == bytes);
    auto again = StaticEncoder::from_bytes(bytes);
    CHECK(again->fingerprint() == loaded->fingerprint());
  }
  SECTION("save and load through a file") {
    const std::string path = "test_embed_roundtrip.snlp";
    REQUIRE(enc.save(path).ok());
    auto loaded = StaticEncoder::load(path);
    REQUIRE(loaded.ok());
    CHECK(loaded->fingerprint() ==
          StaticEncoder::from_bytes(enc.serialize().value())->fingerprint());
    std::remove(path.c_str());
  }
}

TEST_CASE("corrupt, truncated and foreign files are rejected with clear errors", "[embed]") {
  auto bytes = small_encoder().serialize().value();
  SECTION("truncated") {
    for (std::size_t cut : {std::size_t(0), std::size_t(10), bytes.size() / 2, bytes.size() - 1}) {
      auto r = StaticEncoder::from_bytes(std::string_view(bytes).substr(0, cut), "enc.snlp");
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().message.find("enc.snlp") != std::string::npos);
    }
  }
  SECTION("a flipped byte in the weights") {
    bytes[bytes.size() - 100] ^= 0x40;
    auto r = StaticEncoder::from_bytes(bytes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::checksum_mismatch);
  }
  SECTION("another kind of model") {
    io::ModelWriter w("intent");
    float x[2] = {1, 2};
    w.add_tensor("weights", io::DType::f32, {2}, x, sizeof x);
    auto r = StaticEncoder::from_bytes(w.serialize().value());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::wrong_kind);
  }
  SECTION("an encoder file whose tensors do not fit") {
    io::ModelWriter w("encoder");
    w.set_metadata(R"({"encoder":"static","features":{"extractor":"ngrams-1","word_ngrams":2,)"
                   R"("char_ngram_min":3,"char_ngram_max":5,"buckets":16777216,"seed":24301}})");
    std::uint64_t keys[2] = {1, 2};
    float weights[3 * 4] = {};
    w.add_tensor("keys", io::DType::u64, {2}, keys, sizeof keys);
    w.add_tensor("weights", io::DType::f32, {3, 4}, weights, sizeof weights);
    auto r = StaticEncoder::from_bytes(w.serialize().value());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::corrupt);
  }
  SECTION("missing file") {
    auto r = StaticEncoder::load("/nonexistent/encoder.snlp");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("/nonexistent/encoder.snlp") != std::string::npos);
  }
}

TEST_CASE("bad training options are rejected", "[embed]") {
  auto o = small_options();
  o.dim = 0;
  CHECK(StaticEncoder::train(o).error().code == ErrorCode::invalid_argument);
  o = small_options();
  o.threads = 0;
  CHECK(StaticEncoder::train(o).error().code == ErrorCode::invalid_argument);
  o = small_options();
  o.hash_buckets = 0;
  CHECK(StaticEncoder::train(o).error().code == ErrorCode::invalid_argument);
  embed::StaticEncoderTrainOptions empty;
  CHECK(StaticEncoder::train(empty).error().code == ErrorCode::invalid_data);
  embed::StaticEncoderTrainOptions singletons;
  singletons.examples = {{"one text", "a"}, {"another text", "b"}};
  singletons.min_count = 1;
  CHECK(StaticEncoder::train(singletons).error().code == ErrorCode::invalid_data);
}

TEST_CASE("encoding from many threads gives the single-thread results", "[embed]") {
  const auto& enc = small_encoder();
  const std::vector<std::string> texts{"reset my password",      "where is my parcel",
                                       "refund my money please", "",
                                       "cancel my plan now",     "update the card on file"};
  std::vector<std::vector<float>> expected;
  for (const auto& t : texts)
    expected.push_back(enc.encode(t));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t)
    pool.emplace_back([&, t] {
      std::vector<float> v(enc.dim());
      for (int round = 0; round < 300; ++round) {
        const std::size_t i = (round + t) % texts.size();
        enc.encode(texts[i], v.data());
        if (v != expected[i]) ++mismatches[t];
      }
    });
  for (auto& th : pool)
    th.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}
