// Behaviour of the lexicon sentiment analyzer: the rules users rely on
// (negation, intensifiers, contrast, capitals, exclamations, emoji, support
// phrases), evidence offsets, bad input, threads, and held-out accuracy.
#include <catch2/catch.hpp>

#include "models/sentiment/lexicon_scorer.hpp"

#include <supportnlp/models/sentiment/sentiment.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace supportnlp::models;

namespace {

const LexiconSentiment& analyzer() {
  static const LexiconSentiment a;
  return a;
}

float score(const std::string& text) {
  return analyzer().analyze(text).score;
}
SentimentLabel label(const std::string& text) {
  return analyzer().analyze(text).label;
}

} // namespace

TEST_CASE("lexicon has support vocabulary and labels parse", "[models][sentiment]") {
  CHECK(analyzer().lexicon_size() >= 1500);
  CHECK(parse_sentiment_label("Negative") == SentimentLabel::negative);
  CHECK(parse_sentiment_label("neutral") == SentimentLabel::neutral);
  CHECK(parse_sentiment_label("POSITIVE") == SentimentLabel::positive);
  CHECK_FALSE(parse_sentiment_label("angry").has_value());
  CHECK_FALSE(parse_sentiment_label("").has_value());
  CHECK(std::string(to_string(SentimentLabel::positive)) == "positive");
}

TEST_CASE("negation flips valence within its scope", "[models][sentiment]") {
  CHECK(label("No problems at all, thanks") == SentimentLabel::positive);
  CHECK(score("The agent was helpful") > 0);
  CHECK(score("The agent was not helpful") < 0);
  CHECK(label("The agent was not helpful") == SentimentLabel::negative);
  CHECK(label("My package never arrived") == SentimentLabel::negative);
  CHECK(score("The parcel didn't arrive") < 0);
  CHECK(score("It isn't bad at all") > score("It is bad"));
  // Punctuation ends the scope: "good" is not negated here.
  CHECK(score("No. The service was good") > 0);
}

TEST_CASE("intensifiers and diminishers scale the next word", "[models][sentiment]") {
  CHECK(score("the support was very good") > score("the support was good"));
  CHECK(score("extremely rude agent") < score("rude agent"));
  CHECK(score("slightly annoying") > score("annoying"));
  CHECK(score("slightly annoying") < 0);
}

TEST_CASE("contrast shifts weight to the clause after but", "[models][sentiment]") {
  CHECK(label("The agent was nice but my refund never came") == SentimentLabel::negative);
  CHECK(label("The delay was annoying but the crew was amazing") == SentimentLabel::positive);
}

TEST_CASE("capitals and exclamation marks intensify", "[models][sentiment]") {
  CHECK(score("this service is TERRIBLE") < score("this service is terrible"));
  CHECK(score("great service!!!") > score("great service"));
  CHECK(score("awful service!!!") < score("awful service"));
  // A text entirely in capitals does not count every word as shouted.
  CHECK(score("THIS SERVICE IS TERRIBLE") == Approx(score("this service is terrible")));
}

TEST_CASE("emoji and emoticons carry sentiment", "[models][sentiment]") {
  CHECK(label("flight today 😡") == SentimentLabel::negative);
  CHECK(score("flight today 😊") > 0);
  CHECK(score("fixed now :)") > score("fixed now"));
  CHECK(score("order status :(") < 0);
  CHECK(score("👍🏽") > 0); // skin-tone modifier does not hide the emoji
  CHECK(score("❤️") > 0);   // nor does the variation selector
}

TEST_CASE("support phrases are matched as units", "[models][sentiment]") {
  for (const char* text :
       {"I was charged twice", "still waiting for a reply", "this is the third time I write",
        "please cancel my account", "Unacceptable", "no response from anyone", "worst airline ever",
        "refund not received"})
    CHECK(label(text) == SentimentLabel::negative);
  CHECK(label("thanks for the quick fix") == SentimentLabel::positive);
  const std::string text = "Still waiting. Charged twice!";
  const auto r = analyzer().analyze(text);
  bool saw_phrase = false;
  for (const auto& e : r.evidence)
    if (e.kind == EvidenceKind::phrase) {
      saw_phrase = true;
      const auto span = text.substr(e.begin, e.end - e.begin);
      CHECK((span == "Still waiting" || span == "Charged twice"));
    }
  CHECK(saw_phrase);
}

TEST_CASE("evidence offsets slice the caller's original text", "[models][sentiment]") {
  const std::string text = "Ｒｅｆｕｎｄ？ 😡 I’m VERY unhappy, it doesn’t work";
  const auto r = analyzer().analyze(text);
  REQUIRE(!r.evidence.empty());
  std::vector<std::string> spans;
  for (const auto& e : r.evidence) {
    REQUIRE(e.begin < e.end);
    REQUIRE(e.end <= text.size());
    spans.push_back(text.substr(e.begin, e.end - e.begin));
  }
  CHECK(std::find(spans.begin(), spans.end(), "😡") != spans.end());
  CHECK(std::find(spans.begin(), spans.end(), "unhappy") != spans.end());
  CHECK(std::find(spans.begin(), spans.end(), "doesn’t work") != spans.end());
  float sum = 0;
  for (const auto& e : r.evidence)
    sum += e.contribution;
  CHECK(r.score == Approx(sum / std::sqrt(sum * sum + analyzer().options().alpha)));
}

TEST_CASE("bad input never fails", "[models][sentiment]") {
  SECTION("empty") {
    const auto r = analyzer().analyze("");
    CHECK(r.label == SentimentLabel::neutral);
    CHECK(r.score == 0.0f);
    CHECK(r.evidence.empty());
  }
  SECTION("invalid UTF-8 is repaired and reported") {
    const std::string text = "great \xff\xfe service \xc3";
    const auto r = analyzer().analyze(text);
    CHECK(r.repaired_utf8);
    CHECK(r.score > 0);
    for (const auto& e : r.evidence)
      CHECK(e.end <= text.size());
  }
  SECTION("1 MB text") {
    std::string text;
    while (text.size() < (1u << 20))
      text += "Still waiting for my refund, unacceptable. ";
    const auto r = analyzer().analyze(text);
    CHECK(std::isfinite(r.score));
    CHECK(r.score >= -1.0f);
    CHECK(r.score <= 1.0f);
    CHECK(r.label == SentimentLabel::negative);
  }
  SECTION("only punctuation, control and NUL bytes") {
    const std::string text("!!!???\0\t\x01 ...", 14);
    const auto r = analyzer().analyze(text);
    CHECK(r.label == SentimentLabel::neutral);
  }
  SECTION("explain off keeps the label and score") {
    LexiconOptions o;
    o.explain = false;
    const LexiconSentiment quiet(o);
    const auto a = quiet.analyze("worst service ever!!");
    const auto b = analyzer().analyze("worst service ever!!");
    CHECK(a.evidence.empty());
    CHECK(a.score == b.score);
    CHECK(a.label == b.label);
  }
}

TEST_CASE("analysis is thread-safe and deterministic", "[models][sentiment]") {
  const std::vector<std::string> texts = {
      "still waiting for my refund!!", "thanks for the quick fix 😊", "not helpful at all",
      "no problems, great job",        "the app crashes every time", "where is my order?"};
  std::vector<float> expected;
  for (const auto& t : texts)
    expected.push_back(score(t));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      SentimentResult r;
      for (int rep = 0; rep < 300; ++rep)
        for (std::size_t i = 0; i < texts.size(); ++i) {
          analyzer().analyze(texts[i], r);
          mismatches[k] += r.score != expected[i];
        }
    });
  for (auto& t : threads)
    t.join();
  for (int m : mismatches)
    CHECK(m == 0);
}

TEST_CASE("compiled table matches the lexicon source files", "[models][sentiment]") {
  // Every term of data/lexicon/*.tsv is in the compiled table with its value,
  // i.e. lexicon_table.cpp was regenerated after the last edit.
  const supportnlp::models::detail::LexiconScorer scorer;
  int checked = 0;
  for (const char* file : {"words.tsv", "phrases.tsv", "emoji.tsv", "modifiers.tsv"}) {
    std::ifstream in(std::string(SUPPORTNLP_SOURCE_DIR) + "/data/lexicon/" + file);
    REQUIRE(in);
    const bool has_valence = std::string(file) != "modifiers.tsv";
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::string term, value;
      std::getline(fields, term, '\t');
      std::getline(fields, value, '\t');
      for (auto& c : term)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (auto pos = term.find("\xEF\xB8\x8F"); pos != std::string::npos;
           pos = term.find("\xEF\xB8\x8F"))
        term.erase(pos, 3);
      const auto* entry = scorer.find(term);
      INFO(file << ": " << term);
      REQUIRE(entry != nullptr);
      if (has_valence) CHECK(entry->value == Approx(std::stof(value)).margin(0.006));
      ++checked;
    }
  }
  CHECK(checked > 1000);
}

TEST_CASE("lexicon analyzer meets its targets on the held-out airline test split",
          "[models][sentiment]") {
  std::ifstream in(std::string(SUPPORTNLP_SHARED_DIR) +
                   "/datasets/twitter_airline_sentiment/test.tsv");
  if (!in) {
    WARN("airline test split not found; skipped");
    return;
  }
  std::string line;
  std::getline(in, line); // header
  int confusion[3][3] = {};
  int n = 0;
  SentimentResult r;
  while (std::getline(in, line)) {
    const auto tab = line.rfind('\t');
    const auto gold = parse_sentiment_label(line.substr(tab + 1));
    REQUIRE(gold);
    analyzer().analyze(std::string_view(line).substr(0, tab), r);
    ++confusion[int(*gold)][int(r.label)];
    ++n;
  }
  int correct = 0;
  double macro = 0;
  for (int c = 0; c < 3; ++c) {
    correct += confusion[c][c];
    int predicted = 0, actual = 0;
    for (int k = 0; k < 3; ++k)
      predicted += confusion[k][c], actual += confusion[c][k];
    const double p = predicted ? double(confusion[c][c]) / predicted : 0;
    const double rc = actual ? double(confusion[c][c]) / actual : 0;
    macro += p + rc > 0 ? 2 * p * rc / (p + rc) / 3 : 0;
  }
  CHECK(n == 2892);
  CHECK(double(correct) / n >= 0.65);
  CHECK(macro >= 0.60);
}
