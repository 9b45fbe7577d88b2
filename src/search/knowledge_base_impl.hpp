#pragma once
// Private state of KnowledgeBase, shared by its build, search and file code.

#include "supportnlp/search/knowledge_base.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace supportnlp::search {

struct KnowledgeBase::Impl {
  struct Passage {
    std::uint32_t article = 0; // index into articles
    std::uint32_t begin = 0;   // byte range in the article body
    std::uint32_t end = 0;
    std::uint32_t title_only = 0; // 1: the title's own vector (empty BM25 document)
  };

  std::shared_ptr<const embed::Encoder> encoder; // null: lexical only
  std::string fingerprint;                       // encoder's, "" when lexical only
  KnowledgeBaseOptions options;
  std::vector<Article> articles;
  std::unordered_map<std::string, std::uint32_t> by_id;
  std::vector<Passage> passages;
  DenseIndex dense;
  LexicalIndex lexical;

  bool has_dense() const { return encoder != nullptr; }
  /// The text encoded for a passage: the title, a newline, the passage.
  /// With `title_repeats` > 1 (the lexical index's form) the title is
  /// repeated, a simple field weighting for BM25.
  std::string passage_text(const Passage& p, int title_repeats = 1) const {
    const Article& a = articles[p.article];
    if (p.title_only) return a.title;
    std::string s;
    for (int i = 0; i < std::max(1, title_repeats); ++i) {
      s += a.title;
      s.push_back('\n');
    }
    s.append(a.body, p.begin, p.end - p.begin);
    return s;
  }
  void rebuild_ids() {
    by_id.clear();
    for (std::size_t i = 0; i < articles.size(); ++i)
      by_id.emplace(articles[i].id, static_cast<std::uint32_t>(i));
  }
};

} // namespace supportnlp::search
