// Topic discovery on small synthetic inputs: separated groups are found
// without being told how many, scattered points are outliers, keywords come
// from the right group without stop words, timestamps mark the new topic as
// emerging, and the result is deterministic.
#include "hashed_encoder.hpp"
#include "supportnlp/search/topics.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace supportnlp;
using namespace supportnlp::search;

namespace {

constexpr int kDim = 32;

void normalize(float* v) {
  float n = 0;
  for (int j = 0; j < kDim; ++j)
    n += v[j] * v[j];
  n = std::sqrt(n);
  for (int j = 0; j < kDim; ++j)
    v[j] /= n;
}

// `groups` tight groups of `per_group` unit vectors around random centres,
// then `outliers` random unit vectors. labels: group or -1.
struct Synthetic {
  std::vector<float> vectors;
  std::vector<int> labels;
  std::vector<std::string> texts;
};

Synthetic make(int groups, int per_group, int outliers, unsigned seed = 3) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  Synthetic s;
  std::vector<float> centre(kDim), v(kDim);
  for (int c = 0; c < groups; ++c) {
    for (auto& x : centre)
      x = g(rng);
    normalize(centre.data());
    for (int i = 0; i < per_group; ++i) {
      for (int j = 0; j < kDim; ++j)
        v[j] = centre[static_cast<std::size_t>(j)] + 0.06f * g(rng);
      normalize(v.data());
      s.vectors.insert(s.vectors.end(), v.begin(), v.end());
      s.labels.push_back(c);
      s.texts.push_back("group " + std::to_string(c) + " ticket " + std::to_string(i));
    }
  }
  for (int i = 0; i < outliers; ++i) {
    for (auto& x : v)
      x = g(rng);
    normalize(v.data());
    s.vectors.insert(s.vectors.end(), v.begin(), v.end());
    s.labels.push_back(-1);
    s.texts.push_back("stray ticket " + std::to_string(i));
  }
  return s;
}

// Each gold group lands whole in one topic of its own.
void check_groups(const Synthetic& s, const TopicReport& r, int groups) {
  REQUIRE(r.topics.size() == static_cast<std::size_t>(groups));
  std::set<int> used;
  for (int c = 0; c < groups; ++c) {
    std::set<int> got;
    for (std::size_t i = 0; i < s.labels.size(); ++i)
      if (s.labels[i] == c) got.insert(r.assignment[i]);
    REQUIRE(got.size() == 1);
    CHECK(*got.begin() >= 0);
    used.insert(*got.begin());
  }
  CHECK(used.size() == static_cast<std::size_t>(groups));
}

} // namespace

TEST_CASE("separated groups are found without a topic count, strays are outliers",
          "[search][topics]") {
  const auto s = make(4, 25, 6);
  auto r = discover_topics(s.texts, s.vectors.data(), kDim);
  REQUIRE(r);
  check_groups(s, *r, 4);
  for (std::size_t i = 0; i < s.labels.size(); ++i)
    if (s.labels[i] < 0) CHECK(r->assignment[i] == -1);
  CHECK(r->outliers.size() == 6);
  // Largest first, sizes add up, ids are positions.
  std::size_t total = r->outliers.size();
  for (std::size_t t = 0; t < r->topics.size(); ++t) {
    CHECK(r->topics[t].id == static_cast<int>(t));
    CHECK(r->topics[t].size == 25);
    CHECK(r->topics[t].examples.size() == 3);
    CHECK(r->topics[t].cohesion > 0.9f);
    total += r->topics[t].size;
  }
  CHECK(total == s.texts.size());
}

TEST_CASE("groups of different sizes and a group below the minimum size", "[search][topics]") {
  auto s = make(2, 40, 0, 5);
  const auto small = make(1, 5, 0, 11); // fewer than min_cluster_size
  s.vectors.insert(s.vectors.end(), small.vectors.begin(), small.vectors.end());
  s.texts.insert(s.texts.end(), small.texts.begin(), small.texts.end());
  for (std::size_t i = 0; i < 5; ++i)
    s.labels.push_back(-1);
  TopicOptions o;
  o.min_cluster_size = 8;
  auto r = discover_topics(s.texts, s.vectors.data(), kDim, o);
  REQUIRE(r);
  check_groups(s, *r, 2);
  // The five close tickets are no topic of their own.
  std::set<int> small_topics;
  for (std::size_t i = 80; i < 85; ++i)
    small_topics.insert(r->assignment[i]);
  for (int t : small_topics)
    if (t >= 0) CHECK(r->topics[static_cast<std::size_t>(t)].size >= 40);
}

TEST_CASE("clustering a sample and assigning the rest finds the same groups", "[search][topics]") {
  const auto s = make(3, 60, 0, 7);
  TopicOptions o;
  o.max_clustered = 90;
  auto r = discover_topics(s.texts, s.vectors.data(), kDim, o);
  REQUIRE(r);
  CHECK(r->clustered == 90);
  // Each group is one topic; a few tickets outside the sample may sit
  // farther from the centroid than every sampled member and stay outliers.
  REQUIRE(r->topics.size() == 3);
  std::set<int> seen;
  for (int c = 0; c < 3; ++c) {
    std::map<int, int> count;
    for (std::size_t i = 0; i < s.labels.size(); ++i)
      if (s.labels[i] == c) ++count[r->assignment[i]];
    CHECK(count[-1] <= 6);
    int best = -1;
    for (const auto& [t, k] : count)
      if (t >= 0 && (best < 0 || k > count[best])) best = t;
    CHECK(count[best] + count[-1] == 60);
    seen.insert(best);
  }
  CHECK(seen.size() == 3);
}

TEST_CASE("reassign_similarity moves close outliers into topics", "[search][topics]") {
  const auto s = make(3, 20, 4, 9);
  TopicOptions o;
  o.reassign_similarity = -1.0f; // every outlier joins its nearest topic
  auto r = discover_topics(s.texts, s.vectors.data(), kDim, o);
  REQUIRE(r);
  CHECK(r->outliers.empty());
  check_groups(s, *r, 3);
}

TEST_CASE("merge_similarity joins topics whose centroids are close", "[search][topics]") {
  const auto s = make(3, 20, 4, 9);
  TopicOptions o;
  o.reassign_similarity = 2.0f; // so only HDBSCAN's own clusters are compared
  o.merge_similarity = 2.0f;    // never: the three groups stay apart
  auto apart = discover_topics(s.texts, s.vectors.data(), kDim, o);
  REQUIRE(apart);
  REQUIRE(apart->topics.size() == 3);
  o.merge_similarity = -1.0f; // every pair of centroids is close enough
  auto merged = discover_topics(s.texts, s.vectors.data(), kDim, o);
  REQUIRE(merged);
  REQUIRE(merged->topics.size() == 1);
  CHECK(merged->topics[0].size + merged->outliers.size() == s.texts.size());
  for (std::size_t i = 0; i < s.texts.size(); ++i)
    if (apart->assignment[i] >= 0) CHECK(merged->assignment[i] == 0);
  o.merge_similarity = std::nextafter(-1.0f, -2.0f);
  CHECK(!discover_topics(s.texts, s.vectors.data(), kDim, o));
}

TEST_CASE("keywords and phrases come from the topic's own texts, without stop words",
          "[search][topics]") {
  // Three groups of tickets written with the project's hashed test encoder,
  // so texts sharing words are close; each mixes in stop words of several
  // languages that must never become keywords.
  const std::vector<std::vector<std::string>> words = {
      {"refund", "money", "back", "returned", "item", "reimbursement"},
      {"password", "login", "locked", "account", "reset", "sign"},
      {"parcel", "delivery", "courier", "tracking", "late", "shipment"}};
  const std::vector<std::string> fillers = {"the", "my", "is", "el", "der", "le", "não"};
  std::vector<std::string> texts;
  std::vector<int> gold;
  std::mt19937 rng(1);
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 20; ++i) {
      std::string t;
      for (int w = 0; w < 5; ++w) {
        if (w) t += ' ';
        if (w % 2 == 1) t += fillers[rng() % fillers.size()] + ' ';
        t += words[static_cast<std::size_t>(c)][rng() % 6];
      }
      texts.push_back(t);
      gold.push_back(c);
    }
  texts.push_back("Refund for my late parcel"); // stays apart or joins either
  testing::HashedEncoder enc(256);
  TopicOptions o;
  o.reassign_similarity = -1.0f;
  auto r = discover_topics(texts, enc, o);
  REQUIRE(r);
  REQUIRE(r->topics.size() == 3);
  for (const Topic& t : r->topics) {
    const int c = gold[t.examples.front()];
    REQUIRE(t.keywords.size() >= 4);
    for (const auto& k : t.keywords) {
      const auto& mine = words[static_cast<std::size_t>(c)];
      INFO(k);
      CHECK(std::find(mine.begin(), mine.end(), k) != mine.end());
    }
    for (const auto& stop : fillers)
      CHECK(std::find(t.keywords.begin(), t.keywords.end(), stop) == t.keywords.end());
    for (const auto& p : t.phrases) {
      INFO(p);
      CHECK(p.find(' ') != std::string::npos);
      const std::string first = p.substr(0, p.find(' '));
      CHECK(std::find(fillers.begin(), fillers.end(), first) == fillers.end());
    }
    for (std::size_t e : t.examples)
      if (e < gold.size()) CHECK(gold[e] == c);
  }
}

TEST_CASE("stop word lists cover the five languages", "[search][topics]") {
  for (const char* lang : {"en", "es", "de", "fr", "pt"}) {
    const auto& w = topic_stop_words(lang);
    CHECK(w.size() > 80);
    CHECK(std::is_sorted(w.begin(), w.end()));
  }
  const auto has = [](const char* lang, const char* word) {
    const auto& w = topic_stop_words(lang);
    return std::binary_search(w.begin(), w.end(), std::string(word));
  };
  CHECK(has("en", "the"));
  CHECK(has("es", "tambien"));
  CHECK(has("de", "nicht"));
  CHECK(has("fr", "très"));
  CHECK(has("pt", "não"));
  CHECK_FALSE(has("en", "refund"));
  CHECK(topic_stop_words("xx").empty());
}

TEST_CASE("timestamps: a topic new in the second half is emerging", "[search][topics]") {
  const auto s = make(3, 24, 0, 13);
  std::vector<std::int64_t> ts(s.texts.size());
  for (std::size_t i = 0; i < ts.size(); ++i)
    // groups 0 and 1 spread over 8 weeks, group 2 only in the last two.
    ts[i] = s.labels[i] == 2 ? 6 * 7 * 86400 + static_cast<std::int64_t>(i % 14) * 86400
                             : static_cast<std::int64_t>((i * 7) % 56) * 86400;
  auto r = discover_topics(s.texts, s.vectors.data(), kDim, {}, &ts);
  REQUIRE(r);
  REQUIRE(r->has_timestamps);
  check_groups(s, *r, 3);
  for (const Topic& t : r->topics) {
    const int c = s.labels[t.examples.front()];
    CHECK(t.earlier + t.recent == t.size);
    if (c == 2) {
      CHECK(t.emerging);
      CHECK(t.earlier == 0);
      CHECK(t.growth > 2.0);
    } else {
      CHECK_FALSE(t.emerging);
      CHECK(t.growth < 2.0);
    }
  }
  std::vector<std::int64_t> wrong(3);
  CHECK_FALSE(discover_topics(s.texts, s.vectors.data(), kDim, {}, &wrong));
}

TEST_CASE("topics are deterministic and empty input is an empty report", "[search][topics]") {
  const auto s = make(3, 20, 5, 17);
  TopicOptions o;
  o.max_clustered = 50; // the sampled path too
  auto a = discover_topics(s.texts, s.vectors.data(), kDim, o);
  auto b = discover_topics(s.texts, s.vectors.data(), kDim, o);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->assignment == b->assignment);
  REQUIRE(a->topics.size() == b->topics.size());
  for (std::size_t t = 0; t < a->topics.size(); ++t) {
    CHECK(a->topics[t].keywords == b->topics[t].keywords);
    CHECK(a->topics[t].examples == b->topics[t].examples);
  }

  testing::HashedEncoder enc;
  auto empty = discover_topics({}, enc);
  REQUIRE(empty);
  CHECK(empty->topics.empty());
  CHECK(empty->assignment.empty());
  auto blanks = discover_topics({"", "   ", "\n"}, enc);
  REQUIRE(blanks);
  CHECK(blanks->topics.empty());
  CHECK(blanks->outliers.size() == 3);
}

TEST_CASE("out-of-range topic options are refused", "[search][topics]") {
  testing::HashedEncoder enc;
  TopicOptions o;
  o.min_cluster_size = 1;
  auto r = discover_topics({"a"}, enc, o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::invalid_argument);
  o = {};
  o.neighbors = 2;
  o.min_samples = 5;
  CHECK_FALSE(discover_topics({"a"}, enc, o));
}
