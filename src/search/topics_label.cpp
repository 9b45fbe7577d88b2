// c-TF-IDF (Grootendorst 2022, as in BERTopic): all tickets of a topic form
// one document; a term's weight in topic c is its frequency in c, divided by
// the number of terms of c, times log(1 + A / f), where A is the mean number
// of terms per topic and f the term's frequency over all topics. A ticket
// counts a term once, so one long ticket repeating a word cannot make it a
// keyword. Terms are the project tokenizer's case-folded words (no
// stemming, so keywords read as written); phrases are runs of two or three
// words that neither start nor end with a stop word.
#include "search/topics_label.hpp"

#include "supportnlp/search/lexical_index.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace supportnlp::search::detail {

namespace {

bool has_letter(const std::string& w) {
  for (unsigned char c : w)
    if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return false;
}

// Terms and per-topic counts of one vocabulary (words or phrases).
struct Counts {
  std::unordered_map<std::string, std::uint32_t> ids;
  std::vector<std::string> terms;
  // counts[c][term] = tickets of class c holding the term (class 0: outliers).
  std::vector<std::unordered_map<std::uint32_t, std::uint32_t>> counts;

  std::uint32_t id(const std::string& term) {
    auto [it, fresh] = ids.emplace(term, static_cast<std::uint32_t>(terms.size()));
    if (fresh) terms.push_back(term);
    return it->second;
  }
};

std::vector<std::string> best(const Counts& c, std::size_t topics, std::size_t cls,
                              std::size_t want, std::uint32_t min_count) {
  if (want == 0) return {};
  // f: frequency over all classes; A: mean terms per class.
  std::vector<double> total_in_class(c.counts.size(), 0.0);
  std::unordered_map<std::uint32_t, double> f;
  double all = 0;
  for (std::size_t k = 0; k < c.counts.size(); ++k)
    for (const auto& [t, n] : c.counts[k]) {
      total_in_class[k] += n;
      all += n;
    }
  for (const auto& [t, n] : c.counts[cls])
    f[t] = 0;
  for (const auto& m : c.counts)
    for (const auto& [t, n] : m) {
      auto it = f.find(t);
      if (it != f.end()) it->second += n;
    }
  const double a = all / static_cast<double>(std::max<std::size_t>(1, topics + 1));
  std::vector<std::pair<double, std::uint32_t>> scored;
  for (const auto& [t, n] : c.counts[cls]) {
    if (n < min_count) continue;
    const double w = n / std::max(1.0, total_in_class[cls]) * std::log(1.0 + a / f[t]);
    scored.emplace_back(w, t);
  }
  std::sort(scored.begin(), scored.end(), [&](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    return c.terms[x.second] < c.terms[y.second];
  });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && out.size() < want; ++i)
    out.push_back(c.terms[scored[i].second]);
  return out;
}

} // namespace

void label_topics(const std::vector<std::string>& texts, const std::vector<int>& assignment,
                  std::size_t keywords, std::size_t phrases, std::vector<Topic>& topics) {
  if (topics.empty() || (keywords == 0 && phrases == 0)) return;
  std::unordered_set<std::string> stop;
  for (const char* lang : {"en", "es", "de", "fr", "pt"})
    for (const std::string& w : topic_stop_words(lang))
      stop.insert(w);

  Bm25Options plain;
  plain.stem = false;
  plain.stopwords = false;
  plain.phrases = false;
  const LexicalIndex analyzer(plain);
  Counts words, grams;
  words.counts.resize(topics.size() + 1);
  grams.counts.resize(topics.size() + 1);
  std::vector<std::uint32_t> seen_words, seen_grams;
  std::vector<std::string> run;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::size_t cls = static_cast<std::size_t>(assignment[i] + 1);
    if (cls > topics.size()) continue;
    seen_words.clear();
    seen_grams.clear();
    run.clear();
    auto flush = [&] {
      for (std::size_t n = 2; n <= 3; ++n)
        for (std::size_t s = 0; s + n <= run.size(); ++s) {
          if (stop.count(run[s]) || stop.count(run[s + n - 1])) continue;
          std::string g = run[s];
          for (std::size_t j = s + 1; j < s + n; ++j)
            g += ' ' + run[j];
          seen_grams.push_back(grams.id(g));
        }
      run.clear();
    };
    for (std::string& term : analyzer.analyze(texts[i])) {
      if (!has_letter(term)) {
        flush();
        continue;
      }
      if (term.size() > 1 && !stop.count(term)) seen_words.push_back(words.id(term));
      run.push_back(std::move(term));
    }
    flush();
    for (auto* seen : {&seen_words, &seen_grams}) {
      std::sort(seen->begin(), seen->end());
      seen->erase(std::unique(seen->begin(), seen->end()), seen->end());
    }
    for (std::uint32_t t : seen_words)
      ++words.counts[cls][t];
    for (std::uint32_t t : seen_grams)
      ++grams.counts[cls][t];
  }
  for (std::size_t t = 0; t < topics.size(); ++t) {
    const auto min_count = static_cast<std::uint32_t>(topics[t].size >= 2 ? 2 : 1);
    topics[t].keywords = best(words, topics.size(), t + 1, keywords, min_count);
    topics[t].phrases = best(grams, topics.size(), t + 1, phrases, min_count);
  }
}

} // namespace supportnlp::search::detail
