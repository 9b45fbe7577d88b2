// The default choice of tickets for topic discovery: out of scope or routed
// with a queue confidence below TopicSelection::max_confidence.
#include "hashed_encoder.hpp"
#include "supportnlp/search/topics.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace supportnlp::search;

TEST_CASE("out-of-scope tickets are always selected", "[search][topics]") {
  TopicSelection strict;
  strict.max_confidence = 0.0; // no routed ticket is unsure
  CHECK(select_for_topics(true, 1.0, strict));
  CHECK(select_for_topics(true, 0.0, strict));
  CHECK_FALSE(select_for_topics(false, 0.0, strict));
  CHECK(select_for_topics(true, 0.99));
}

TEST_CASE("routed tickets are selected below the threshold, not at or above it",
          "[search][topics]") {
  const TopicSelection def;
  const double t = def.max_confidence;
  REQUIRE(t > 0.5);
  REQUIRE(t < 1.0);
  CHECK(select_for_topics(false, 0.5));                    // the old default kept this out
  CHECK(select_for_topics(false, std::nextafter(t, 0.0))); // just below
  CHECK_FALSE(select_for_topics(false, t));                // at the threshold
  CHECK_FALSE(select_for_topics(false, 1.0));

  TopicSelection loose;
  loose.max_confidence = 0.5;
  CHECK_FALSE(select_for_topics(false, 0.7, loose));
  CHECK(select_for_topics(false, 0.7));
  TopicSelection everything;
  everything.max_confidence = 1.01; // even a certain routing is "unsure"
  CHECK(select_for_topics(false, 1.0, everything));
}

TEST_CASE("a confidence that is not a number counts as unsure", "[search][topics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(select_for_topics(false, nan));
  TopicSelection strict;
  strict.max_confidence = 0.0;
  CHECK(select_for_topics(false, nan, strict));
}

TEST_CASE("a higher threshold selects a superset of the tickets", "[search][topics]") {
  // Monotone in the threshold: every ticket selected at 0.5 is selected at
  // the default, and the default selects more of a spread of confidences.
  std::vector<double> confidences;
  for (int i = 0; i <= 100; ++i)
    confidences.push_back(i / 100.0);
  TopicSelection low;
  low.max_confidence = 0.5;
  int at_low = 0, at_default = 0;
  for (double c : confidences) {
    const bool a = select_for_topics(false, c, low), b = select_for_topics(false, c);
    CHECK((!a || b));
    at_low += a;
    at_default += b;
  }
  CHECK(at_low == 50);
  CHECK(at_default > at_low);
}

namespace {

// Unit vectors in 16 dimensions around axis `axis`, a little noise each.
void add_group(std::vector<float>& v, int axis, int count, unsigned seed) {
  unsigned s = seed;
  for (int i = 0; i < count; ++i) {
    for (int j = 0; j < 16; ++j) {
      s = s * 1103515245u + 12345u;
      const float noise = (static_cast<float>((s >> 8) % 1000) / 1000.0f - 0.5f) * 0.1f;
      v.push_back((j == axis ? 1.0f : 0.0f) + noise);
    }
    float n = 0;
    for (int j = 0; j < 16; ++j)
      n += v[v.size() - 16 + j] * v[v.size() - 16 + j];
    for (int j = 0; j < 16; ++j)
      v[v.size() - 16 + j] /= std::sqrt(n);
  }
}

} // namespace

TEST_CASE("the neighbourhood check keeps a new issue and drops a known intent's unsure tickets",
          "[search][topics]") {
  // 20 tickets of a new issue (all unsure) and 40 of a known intent, 6 of
  // them unsure: the unsure known tickets sit among confidently routed ones.
  std::vector<float> v;
  add_group(v, 0, 20, 1);
  add_group(v, 5, 40, 2);
  const std::size_t n = 60;
  std::vector<char> picked(n, 0);
  for (std::size_t i = 0; i < 20; ++i)
    picked[i] = 1;
  for (std::size_t i = 20; i < 26; ++i)
    picked[i] = 1;

  TopicSelection off;
  off.min_unsure_neighbors = 0.0; // off: the flags come back unchanged
  CHECK(confirm_selection(v.data(), n, 16, picked, off) == picked);

  TopicSelection on; // the default, 0.5, chosen on the simulation
  REQUIRE(on.min_unsure_neighbors == 0.5);
  const auto kept = confirm_selection(v.data(), n, 16, picked, on);
  for (std::size_t i = 0; i < 20; ++i)
    CHECK(kept[i] == 1);
  for (std::size_t i = 20; i < n; ++i)
    CHECK(kept[i] == 0); // unsure known tickets dropped; routed ones stay unpicked

  // A sample of the batch as the neighbours' pool gives the same answer here.
  on.max_reference = 30;
  CHECK(confirm_selection(v.data(), n, 16, picked, on) == kept);
  // Zero rows (nothing to encode) keep their flag; a size mismatch is a no-op.
  std::vector<float> w = v;
  std::fill(w.begin(), w.begin() + 16, 0.0f);
  CHECK(confirm_selection(w.data(), n, 16, picked, on)[0] == 1);
  CHECK(confirm_selection(v.data(), n - 1, 16, picked, on) == picked);
}

TEST_CASE("with the default selection a new issue comes out as one topic with its keywords",
          "[search][topics]") {
  // A batch as the CLI sees it: two known intents, mostly routed with
  // confidence and a few unsure, and a new issue the intent model has never
  // seen, all unsure. Texts are written with the hashed test encoder's
  // words, so texts sharing words are close.
  const std::vector<std::vector<std::string>> words = {
      {"card", "arrive", "delivery", "post", "waiting", "mail"},
      {"password", "login", "locked", "account", "reset", "sign"},
      {"crypto", "wallet", "bitcoin", "deposit", "exchange", "coin"}};
  const int count[] = {40, 30, 16};
  const int unsure[] = {6, 4, 16};
  std::vector<std::string> texts;
  std::vector<int> gold;
  std::vector<char> picked;
  std::mt19937 rng(5);
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < count[c]; ++i) {
      std::string t = "my";
      for (int w = 0; w < 4; ++w)
        t += ' ' + words[static_cast<std::size_t>(c)][rng() % 6];
      texts.push_back(t);
      gold.push_back(c);
      // The confidence rule's answer: the first unsure[c] of each group.
      picked.push_back(select_for_topics(false, i < unsure[c] ? 0.6 : 0.99) ? 1 : 0);
    }
  supportnlp::search::testing::HashedEncoder enc(256);
  std::vector<float> v(texts.size() * 256);
  for (std::size_t i = 0; i < texts.size(); ++i)
    enc.encode(texts[i], v.data() + i * 256);

  const auto kept = confirm_selection(v.data(), texts.size(), 256, picked);
  std::vector<std::string> chosen;
  std::vector<int> chosen_gold;
  std::vector<float> cv;
  for (std::size_t i = 0; i < texts.size(); ++i)
    if (kept[i]) {
      chosen.push_back(texts[i]);
      chosen_gold.push_back(gold[i]);
      cv.insert(cv.end(), v.begin() + static_cast<std::ptrdiff_t>(i * 256),
                v.begin() + static_cast<std::ptrdiff_t>((i + 1) * 256));
    }
  // The known intents' unsure tickets sit among routed ones and are dropped;
  // the new issue's are all kept.
  CHECK(std::count(chosen_gold.begin(), chosen_gold.end(), 2) == 16);
  CHECK(std::count(chosen_gold.begin(), chosen_gold.end(), 2) ==
        static_cast<std::ptrdiff_t>(chosen_gold.size()));

  auto r = discover_topics(chosen, cv.data(), 256); // default TopicOptions
  REQUIRE(r);
  REQUIRE(r->topics.size() == 1);
  const Topic& t = r->topics[0];
  CHECK(t.size >= 14); // HDBSCAN's fringe comes back through reassignment
  REQUIRE(t.keywords.size() >= 4);
  for (const auto& k : t.keywords) {
    INFO(k);
    CHECK(std::find(words[2].begin(), words[2].end(), k) != words[2].end());
  }
}
