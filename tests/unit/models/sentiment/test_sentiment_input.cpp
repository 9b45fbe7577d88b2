// The learned sentiment model's input: the text's tokens extended by the
// marker words' (so the NB-LR view does not tokenize the input again) equal
// the tokens of the whole input, and the NB-LR view scores both the same.
#include <catch2/catch.hpp>

#include "models/sentiment/sentiment_input.hpp"
#include "models/sentiment/sentiment_nb.hpp"

#include <random>
#include <string>
#include <vector>

using namespace supportnlp;
using namespace supportnlp::models;

namespace {

// Texts whose last token could depend on what follows it: entities cut at
// the end, emoji sequences, combining marks, invalid and truncated UTF-8,
// CJK, emoticon halves, whitespace, and empty text.
std::vector<std::string> edge_texts() {
  return {"",
          " ",
          "\t\n",
          "still waiting for my refund",
          "not happy, never again!!",
          "@united where is my bag?",
          "@united",
          "#fail",
          "#",
          "@",
          "mail bob@x.com",
          "see https://example.com/a?b=c",
          "www.example.com",
          "order ORD-99812",
          "ticket #A-12345",
          "costs $1,299.00",
          "version v2.3.1",
          "3.",
          "thanks :)",
          "sad :",
          "<3",
          "love it \xF0\x9F\x98\x8D",
          "family \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",
          "zwj at the end \xF0\x9F\x91\xA8\xE2\x80\x8D",
          "thumbs \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
          "cafe\xCC\x81",
          "e\xCC\x81\xCC\x81",
          "refund \xff not received",
          "truncated \xF0\x9F",
          "truncated \xE2\x80",
          "\xC3",
          "\xE9\x80\x80\xE6\xAC\xBE\xE8\xBF\x98\xE6\xB2\xA1\xE5\x88\xB0",
          "\xE3\x81\x8C\xE3\x81\xA3\xE3\x81\x8B\xE3\x82\x8A",
          "I can't log in and don't know why",
          "don\xE2\x80\x99t care",
          "SOOOO ANGRY!!!",
          "no problems at all, thanks for the quick fix",
          "trailing space "};
}

// Random texts from pieces of the above and single bytes.
std::vector<std::string> random_texts(std::size_t n) {
  const auto pieces = edge_texts();
  std::mt19937 rng(7);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string t;
    const int parts = static_cast<int>(rng() % 4) + 1;
    for (int p = 0; p < parts; ++p) {
      if (rng() % 3 == 0)
        t += static_cast<char>(rng() % 256);
      else
        t += pieces[rng() % pieces.size()];
    }
    out.push_back(t);
  }
  return out;
}

detail::SentimentInput input_with_all_rewriting(bool short_markers = false) {
  detail::SentimentInput in;
  in.input = {true, true, true, true, short_markers};
  return in;
}

} // namespace

TEST_CASE("sentiment input: extended tokens equal the whole input's tokens",
          "[models][sentiment]") {
  const bool short_markers = GENERATE(false, true);
  const auto in = input_with_all_rewriting(short_markers);
  auto texts = edge_texts();
  for (auto& t : random_texts(500))
    texts.push_back(std::move(t));
  text::TokenizedText tokens, tail, direct;
  std::string augmented;
  for (const auto& t : texts) {
    detail::LexiconSignals signals;
    in.build(t, tokens, augmented, signals, nullptr);
    in.extend_tokens(augmented, t.size(), tokens, tail);
    in.tokenizer.tokenize(augmented, direct);
    INFO("text: " << t);
    REQUIRE(tokens.tokens.size() == direct.tokens.size());
    CHECK(tokens.repaired_utf8 == direct.repaired_utf8);
    for (std::size_t i = 0; i < direct.tokens.size(); ++i) {
      const auto& a = tokens.tokens[i];
      const auto& b = direct.tokens[i];
      CHECK(a.begin == b.begin);
      CHECK(a.end == b.end);
      CHECK(a.kind == b.kind);
      CHECK(tokens.normalized(a) == direct.normalized(b));
      CHECK(tokens.original(a) == direct.original(b));
    }
  }
}

TEST_CASE("sentiment NB-LR view: scores from extended tokens equal scores from the input",
          "[models][sentiment]") {
  const auto in = input_with_all_rewriting();
  const std::vector<std::pair<const char*, int>> data = {
      {"still waiting for my refund", 0},   {"the app keeps crashing", 0},
      {"charged twice, unacceptable", 0},   {"never arrived", 0},
      {"how do I change my address", 1},    {"what are your opening hours", 1},
      {"where is my invoice", 1},           {"do you ship to canada", 1},
      {"thanks for the quick fix", 2},      {"love the new dashboard", 2},
      {"great support, problem solved", 2}, {"works perfectly now :)", 2}};
  std::vector<std::string> inputs;
  std::vector<int> labels;
  text::TokenizedText tokens, tail;
  for (int rep = 0; rep < 3; ++rep)
    for (const auto& [t, y] : data) {
      std::string augmented;
      detail::LexiconSignals signals;
      in.build(t, tokens, augmented, signals, nullptr);
      inputs.push_back(augmented);
      labels.push_back(y);
    }
  models::SentimentNbOptions o;
  o.features = features::NgramOptions{};
  o.features.buckets = 1u << 14;
  o.features.word_max_n = 3;
  o.features.char_min_n = 2;
  o.features.char_max_n = 5;
  o.alpha = 1.0;
  o.l2 = 1e-4;
  o.learning_rate = 0.2;
  o.class_balance = 0.0;
  o.epochs = 3;
  o.bags = 2;
  const auto view = detail::fit_nb_view(inputs, labels, o, 42);
  REQUIRE_FALSE(view.empty());

  detail::NbScratch scratch;
  features::SparseFeatures f;
  auto texts = edge_texts();
  for (auto& t : random_texts(200))
    texts.push_back(std::move(t));
  for (const auto& t : texts) {
    std::string augmented;
    detail::LexiconSignals signals;
    in.build(t, tokens, augmented, signals, nullptr);
    in.extend_tokens(augmented, t.size(), tokens, tail);
    float from_string[3], from_tokens[3];
    view.probabilities(augmented, scratch, from_string);
    view.probabilities(tokens, f, from_tokens);
    INFO("text: " << t);
    for (int c = 0; c < 3; ++c)
      CHECK(from_tokens[c] == from_string[c]);
  }
  // It learned its training texts.
  int correct = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    float p[3];
    view.probabilities(inputs[i], scratch, p);
    int best = 0;
    for (int c = 1; c < 3; ++c)
      if (p[c] > p[best]) best = c;
    correct += best == labels[i];
  }
  CHECK(correct >= static_cast<int>(inputs.size()) * 9 / 10);
}

TEST_CASE("sentiment input: short marker words say the same as the long ones",
          "[models][sentiment]") {
  const auto long_in = input_with_all_rewriting(false);
  const auto short_in = input_with_all_rewriting(true);
  text::TokenizedText tokens;
  std::string a, b;
  for (const auto& t : edge_texts()) {
    detail::LexiconSignals sa, sb;
    long_in.build(t, tokens, a, sa, nullptr);
    const auto text_tokens = tokens.tokens.size();
    short_in.build(t, tokens, b, sb, nullptr);
    INFO("text: " << t);
    // Same text, then the same number of added words, the markers shorter.
    REQUIRE(a.compare(0, t.size(), t) == 0);
    REQUIRE(b.compare(0, t.size(), t) == 0);
    const auto ta = long_in.tokenizer.tokenize(a);
    const auto tb = short_in.tokenizer.tokenize(b);
    REQUIRE(ta.tokens.size() == tb.tokens.size());
    CHECK(b.size() < a.size());
    for (std::size_t i = text_tokens; i < ta.tokens.size(); ++i) {
      const auto wa = ta.normalized(ta.tokens[i]);
      const auto wb = tb.normalized(tb.tokens[i]);
      CHECK(tb.tokens[i].kind == text::TokenKind::word);
      if (wa.substr(0, 2) == "zz") {
        CHECK(wb.substr(0, 2) == "zq");
        CHECK(wb.size() < wa.size());
      } else {
        CHECK(wa == wb); // hashtag words are words of the text, not markers
      }
    }
  }
}
