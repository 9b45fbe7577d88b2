#include "supportnlp/io/model_file.hpp"
#include "supportnlp/models/linear/classifier.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace supportnlp;
using namespace supportnlp::models;

namespace {

// A small synthetic support set: each intent has its own vocabulary mixed
// into shared carrier phrases, so a linear model can learn it in well under
// a second.
std::vector<LabeledText> synthetic(int per_label, unsigned seed) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> intents = {
      {"refund", {"refund", "money back", "reimburse", "return the payment", "refunded"}},
      {"delivery", {"parcel", "package", "shipping", "delivery", "courier"}},
      {"password", {"password", "log in", "login", "reset my password", "locked out"}},
      {"cancel", {"cancel", "terminate", "close my subscription", "stop the plan", "unsubscribe"}},
      {"oos", {"weather", "joke", "recipe for pasta", "football score", "capital of france"}},
  };
  const std::vector<std::string> carriers = {
      "i need help with {}",           "{} please", "how do i {} now", "can you tell me about {}",
      "my question is about {} today", "{}?"};
  std::vector<LabeledText> out;
  unsigned x = seed;
  auto next = [&] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
  for (int i = 0; i < per_label; ++i)
    for (const auto& [label, words] : intents) {
      std::string c = carriers[next() % carriers.size()];
      c.replace(c.find("{}"), 2, words[next() % words.size()]);
      out.push_back({c, label});
    }
  return out;
}

ClassifierTrainOptions small_options(int threads = 1) {
  ClassifierTrainOptions o;
  o.features.buckets = 1u << 16;
  o.threads = threads;
  o.max_epochs = 20;
  return o;
}

std::string temp_path(const std::string& name) {
  return (std::ostringstream() << "/tmp/snlp_test_" << name << "_" << ::getpid() << ".snlp").str();
}

} // namespace

TEST_CASE("classifier learns intents and generalises to new phrasings", "[models][kernels]") {
  auto model = TextClassifier::train(synthetic(40, 1), {}, small_options(), "intent");
  REQUIRE(model.ok());
  const auto& m = model.value();
  CHECK(m.labels().size() == 5);
  CHECK(m.oos_label() == m.label_index("oos"));
  auto label_of = [&](const char* text) { return m.labels()[m.predict(text).label]; };
  CHECK(label_of("I want my money back for this order") == "refund");
  CHECK(label_of("where is my parcel") == "delivery");
  CHECK(label_of("forgot my password again") == "password");
  CHECK(label_of("please unsubscribe me") == "cancel");
  auto p = m.predict("tell me a joke", 5);
  CHECK(p.out_of_scope);
  REQUIRE(p.top.size() == 5);
  float sum = 0;
  for (std::size_t i = 0; i < p.top.size(); ++i) {
    sum += p.top[i].probability;
    if (i > 0) CHECK(p.top[i - 1].probability >= p.top[i].probability);
  }
  CHECK(sum == Approx(1.0f).margin(1e-4));
  CHECK(m.metrics().temperature > 0);
  CHECK(m.metrics().validation_accuracy > 0.8);
}

TEST_CASE("training is deterministic and independent of the thread count", "[models][kernels]") {
  auto data = synthetic(30, 2);
  auto a = TextClassifier::train(data, {}, small_options(1), "intent");
  auto b = TextClassifier::train(data, {}, small_options(2), "intent");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const auto pa = temp_path("det_a"), pb = temp_path("det_b");
  REQUIRE(a->save(pa).ok());
  REQUIRE(b->save(pb).ok());
  auto read = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto fa = read(pa), fb = read(pb);
  // Metadata holds the training time, so compare the tensors.
  auto ma = io::ModelFile::from_bytes(fa, "intent").value();
  auto mb = io::ModelFile::from_bytes(fb, "intent").value();
  REQUIRE(ma.tensors().size() == mb.tensors().size());
  for (std::size_t i = 0; i < ma.tensors().size(); ++i)
    CHECK(ma.tensors()[i].view() == mb.tensors()[i].view());
  std::remove(pa.c_str());
  std::remove(pb.c_str());
}

TEST_CASE("saved models load with identical predictions; other kinds are rejected",
          "[models][kernels]") {
  auto model = TextClassifier::train(synthetic(30, 3), {}, small_options(), "intent");
  REQUIRE(model.ok());
  const auto path = temp_path("roundtrip");
  REQUIRE(model->save(path).ok());
  auto loaded = TextClassifier::load(path, "intent");
  REQUIRE(loaded.ok());
  for (const auto& e : synthetic(10, 99)) {
    auto a = model->predict(e.text, 3), b = loaded->predict(e.text, 3);
    CHECK(a.label == b.label);
    CHECK(a.confidence == b.confidence);
    CHECK(a.out_of_scope == b.out_of_scope);
  }
  auto wrong = TextClassifier::load(path, "sentiment");
  REQUIRE(!wrong.ok());
  CHECK(wrong.error().code == ErrorCode::wrong_kind);

  // Truncated copy.
  std::ifstream in(path, std::ios::binary);
  std::string bytes(std::istreambuf_iterator<char>(in), {});
  const auto cut = temp_path("truncated");
  std::ofstream(cut, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size() / 2));
  auto t = TextClassifier::load(cut, "intent");
  CHECK(!t.ok());
  CHECK(!TextClassifier::load("/nonexistent/model.snlp", "intent").ok());
  std::remove(path.c_str());
  std::remove(cut.c_str());
}

TEST_CASE("predictions from several threads equal sequential ones", "[models]") {
  auto model = TextClassifier::train(synthetic(30, 4), {}, small_options(), "intent");
  REQUIRE(model.ok());
  const auto texts = synthetic(40, 7);
  std::vector<Prediction> expected;
  for (const auto& e : texts)
    expected.push_back(model->predict(e.text, 3));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t)
    pool.emplace_back([&, t] {
      for (int rep = 0; rep < 5; ++rep)
        for (std::size_t i = 0; i < texts.size(); ++i) {
          auto p = model->predict(texts[i].text, 3);
          if (p.label != expected[i].label || p.confidence != expected[i].confidence ||
              p.top.size() != expected[i].top.size())
            ++mismatches[t];
        }
    });
  for (auto& th : pool)
    th.join();
  CHECK(std::accumulate(mismatches.begin(), mismatches.end(), 0) == 0);
}

TEST_CASE("bad input gets a defined answer", "[models]") {
  auto model = TextClassifier::train(synthetic(30, 5), {}, small_options(), "intent");
  REQUIRE(model.ok());
  const std::size_t k = model->labels().size();
  auto check = [&](std::string_view text) {
    auto p = model->predict(text, k);
    CHECK(p.label < k);
    CHECK(p.confidence >= 0.0f);
    CHECK(p.confidence <= 1.0f);
    CHECK(p.top.size() == k);
    return p;
  };
  check("");
  check("   ");
  auto bad = check("refund \xff\xfe please \xc3");
  CHECK(bad.repaired_utf8);
  std::string big;
  while (big.size() < (1u << 20))
    big += "where is my parcel ";
  CHECK(model->labels()[check(big).label] == "delivery");
  CHECK(model->predict("refund", 0).top.empty());
  CHECK(model->predict("refund", 1000).top.size() == k);
}

TEST_CASE("explanations point at the words behind a label", "[models]") {
  auto model = TextClassifier::train(synthetic(40, 6), {}, small_options(), "intent");
  REQUIRE(model.ok());
  const std::string text = "hello, i need a refund for the parcel";
  const auto label = static_cast<std::uint32_t>(model->label_index("refund"));
  auto e = model->explain(text, label, 3);
  REQUIRE(!e.toward.empty());
  CHECK(text.substr(e.toward[0].begin, e.toward[0].end - e.toward[0].begin) == "refund");
  for (const auto& ev : e.against) {
    CHECK(ev.end <= text.size());
    CHECK(ev.weight < 0);
  }
  bool parcel_against = false;
  for (const auto& ev : e.against)
    parcel_against |= text.substr(ev.begin, ev.end - ev.begin) == "parcel";
  CHECK(parcel_against);
  CHECK(model->explain(text, 999).toward.empty());
}

TEST_CASE("predict_explain equals predict followed by explain", "[models]") {
  auto model = TextClassifier::train(synthetic(40, 7), {}, small_options(), "intent");
  REQUIRE(model.ok());
  Prediction p;
  Explanation why;
  for (std::string_view text :
       {"hello, i need a refund for the parcel", "", "reset my password please?",
        "\xff\xfe broken bytes and a parcel", "the weather and a joke, then cancel"}) {
    model->predict_explain(text, 3, 4, p, why);
    const auto q = model->predict(text, 3);
    const auto e = model->explain(text, q.label, 4);
    CHECK(p.label == q.label);
    CHECK(p.confidence == q.confidence);
    CHECK(p.out_of_scope == q.out_of_scope);
    CHECK(p.repaired_utf8 == q.repaired_utf8);
    REQUIRE(p.top.size() == q.top.size());
    for (std::size_t i = 0; i < p.top.size(); ++i)
      CHECK(p.top[i].label == q.top[i].label);
    CHECK(why.label == e.label);
    REQUIRE(why.toward.size() == e.toward.size());
    REQUIRE(why.against.size() == e.against.size());
    for (std::size_t i = 0; i < e.toward.size(); ++i) {
      CHECK(why.toward[i].begin == e.toward[i].begin);
      CHECK(why.toward[i].weight == e.toward[i].weight);
      CHECK((i == 0 || e.toward[i - 1].weight >= e.toward[i].weight));
    }
    for (std::size_t i = 0; i < e.against.size(); ++i) {
      CHECK(why.against[i].begin == e.against[i].begin);
      CHECK((i == 0 || e.against[i - 1].weight <= e.against[i].weight));
    }
  }
}

TEST_CASE("per-view normalisation is stored in the model and survives a reload", "[models]") {
  auto o = small_options();
  o.word_view_weight = 0.4;
  auto model = TextClassifier::train(synthetic(40, 8), {}, o, "intent");
  REQUIRE(model.ok());
  const auto q = model->predict("can you tell me about a refund", 2);
  CHECK(model->labels()[q.label] == "refund");
  const auto path = temp_path("views");
  REQUIRE(model->save(path).ok());
  auto loaded = TextClassifier::load(path, "intent");
  std::remove(path.c_str());
  REQUIRE(loaded.ok());
  for (std::string_view text : {"can you tell me about a refund", "parcel?", "locked out again"}) {
    const auto a = model->predict(text, 1);
    const auto b = loaded->predict(text, 1);
    CHECK(a.label == b.label);
    CHECK(a.confidence == b.confidence);
  }
  // A different weighting is a different model.
  o.word_view_weight = 0.9;
  auto other = TextClassifier::train(synthetic(40, 8), {}, o, "intent");
  REQUIRE(other.ok());
  CHECK(other->predict("can you tell me about a refund", 1).confidence != q.confidence);
}

TEST_CASE("refit trains on train and validation, keeping the calibration", "[models]") {
  auto o = small_options();
  auto train = synthetic(30, 9), valid = synthetic(10, 10);
  auto first = TextClassifier::train(train, valid, o, "intent");
  o.refit = true;
  auto refit = TextClassifier::train(train, valid, o, "intent");
  REQUIRE(first.ok());
  REQUIRE(refit.ok());
  CHECK(refit->metrics().train_examples == train.size() + valid.size());
  CHECK(refit->metrics().temperature == first->metrics().temperature);
  CHECK(refit->metrics().oos_threshold == first->metrics().oos_threshold);
  CHECK(refit->labels()[refit->predict("how do i reset my password now", 1).label] == "password");
  auto test = synthetic(20, 11);
  CHECK(evaluate(*refit, test).accuracy > 0.9);
}

TEST_CASE("training rejects unusable data and options", "[models]") {
  std::vector<LabeledText> one_label{{"a", "x"}, {"b", "x"}};
  auto r = TextClassifier::train(one_label, {}, small_options(), "intent");
  REQUIRE(!r.ok());
  CHECK(r.error().code == ErrorCode::invalid_data);
  auto data = synthetic(10, 8);
  std::vector<LabeledText> valid{{"text", "no_such_label"}};
  auto v = TextClassifier::train(data, valid, small_options(), "intent");
  REQUIRE(!v.ok());
  CHECK(v.error().code == ErrorCode::not_found);
  auto o = small_options();
  o.c = -1;
  CHECK(TextClassifier::train(data, {}, o, "intent").error().code == ErrorCode::invalid_argument);
  CHECK(!TextClassifier::train({}, {}, small_options(), "intent").ok());
}

TEST_CASE("labelled data files: TSV with header, JSONL, bad lines reported", "[models]") {
  std::vector<DataIssue> issues;
  auto tsv = parse_labeled_text("text\tlabel\tcategory\nwhere is it\tdelivery\tX\n"
                                "label-only-line\n\trefund\nrefund me\trefund\r\n\n",
                                "t.tsv", &issues);
  REQUIRE(tsv.ok());
  REQUIRE(tsv->size() == 2);
  CHECK((*tsv)[0].label == "delivery");
  CHECK((*tsv)[1].label == "refund");
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].line == 3);
  CHECK(issues[1].line == 4);
  issues.clear();
  auto jsonl = parse_labeled_text("{\"text\":\"hi\",\"label\":\"greet\"}\n{bad json\n"
                                  "{\"text\":\"no label\"}\n",
                                  "t.jsonl", &issues);
  REQUIRE(jsonl.ok());
  CHECK(jsonl->size() == 1);
  CHECK(issues.size() == 2);
  auto empty = parse_labeled_text("text only\n", "e.tsv", nullptr);
  REQUIRE(!empty.ok());
  CHECK(empty.error().code == ErrorCode::invalid_data);
  CHECK(read_labeled_file("/nonexistent.tsv", nullptr).error().code == ErrorCode::io_error);
}

TEST_CASE("evaluation counts unknown test labels as errors", "[models]") {
  auto model = TextClassifier::train(synthetic(30, 9), {}, small_options(), "intent");
  REQUIRE(model.ok());
  std::vector<LabeledText> test{{"i want a refund", "refund"},
                                {"where is my parcel", "no_such_intent"},
                                {"what is the weather like", "oos"}};
  auto r = evaluate(model.value(), test);
  CHECK(r.n == 3);
  CHECK(r.unknown_labels == 1);
  CHECK(r.accuracy <= 2.0 / 3.0 + 1e-9);
  CHECK(r.oos_examples == 1);
}

TEST_CASE("dense view: mixed, stored, reloaded and shared across threads", "[models]") {
  auto o = small_options(2);
  const auto train = synthetic(40, 12), valid = synthetic(10, 13);
  auto sparse = TextClassifier::train(train, valid, o, "intent");
  o.dense_view = true;
  o.dense_weight = 0.5;
  auto dense = TextClassifier::train(train, valid, o, "intent");
  REQUIRE(sparse.ok());
  REQUIRE(dense.ok());
  CHECK(dense->metrics().dense_weight == 0.5);
  CHECK(dense->metrics().dense_temperature > 0);
  CHECK(sparse->metrics().dense_weight == 0);
  CHECK(dense->weight_bytes() > sparse->weight_bytes()); // the encoder is in the file
  const std::size_t k = dense->labels().size();
  const int oos = dense->oos_label();
  REQUIRE(oos >= 0);
  std::vector<float> pd(k), ps(k);
  bool differs = false;
  for (const auto& e : synthetic(15, 14)) {
    dense->probabilities(e.text, pd.data());
    sparse->probabilities(e.text, ps.data());
    CHECK(std::accumulate(pd.begin(), pd.end(), 0.0) == Approx(1.0).epsilon(1e-4));
    // The dense view only redistributes the in-scope share.
    CHECK(pd[static_cast<std::size_t>(oos)] ==
          Approx(ps[static_cast<std::size_t>(oos)]).margin(1e-5));
    for (std::size_t j = 0; j < k; ++j)
      differs |= std::abs(pd[j] - ps[j]) > 1e-6f;
  }
  CHECK(differs);
  CHECK(evaluate(*dense, synthetic(20, 15)).accuracy > 0.9);

  const auto path = temp_path("dense");
  REQUIRE(dense->save(path).ok());
  auto loaded = TextClassifier::load(path, "intent");
  REQUIRE(loaded.ok());
  CHECK(loaded->metrics().dense_weight == 0.5);
  const auto texts = synthetic(20, 16);
  std::vector<Prediction> expected;
  for (const auto& e : texts) {
    expected.push_back(dense->predict(e.text, 3));
    auto b = loaded->predict(e.text, 3);
    CHECK(b.label == expected.back().label);
    CHECK(b.confidence == expected.back().confidence);
  }
  std::remove(path.c_str());
  std::vector<int> mismatches(3, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < 3; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i = 0; i < texts.size(); ++i) {
        auto p = loaded->predict(texts[i].text, 3);
        if (p.label != expected[i].label || p.confidence != expected[i].confidence) ++mismatches[t];
      }
    });
  for (auto& th : pool)
    th.join();
  CHECK(std::accumulate(mismatches.begin(), mismatches.end(), 0) == 0);
}

TEST_CASE("dense view: weight chosen on validation, bad weight rejected, tiny data falls back",
          "[models]") {
  auto o = small_options();
  o.dense_view = true;
  auto chosen = TextClassifier::train(synthetic(40, 17), synthetic(10, 18), o, "intent");
  REQUIRE(chosen.ok());
  CHECK(chosen->metrics().dense_weight >= 0);
  CHECK(chosen->metrics().dense_weight <= 0.8 + 1e-9);
  o.dense_weight = 1.5;
  CHECK(TextClassifier::train(synthetic(10, 19), {}, o, "intent").error().code ==
        ErrorCode::invalid_argument);
  // One text per label: nothing for an encoder to learn from; the n-gram
  // model still trains.
  o.dense_weight = -1;
  o.validation_fraction = 0;
  std::vector<LabeledText> tiny{{"refund my order", "refund"}, {"where is my parcel", "delivery"}};
  auto t = TextClassifier::train(tiny, {}, o, "intent");
  REQUIRE(t.ok());
  CHECK(t->metrics().dense_weight == 0);
  CHECK(t->labels()[t->predict("refund my order", 1).label] == "refund");
}
