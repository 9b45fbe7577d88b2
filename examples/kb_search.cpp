// kb_search: answer a customer's question from the help-centre articles.
//
//   kb_search "I forgot my password"            (articles from data/kb/)
//   kb_search "refund?" path/to/articles.jsonl
//
// Builds a knowledge base from JSON Lines articles ({"id","title","body"},
// read by the library's article reader; a .tsv file works too),
// using the bundled encoder for hybrid search when data/models/encoder.snlp
// exists and BM25 alone otherwise, then prints the three best articles with
// the passage that answers the question.
#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/search/articles.hpp>
#include <supportnlp/search/knowledge_base.hpp>

#include <iostream>
#include <memory>
#include <string>

namespace snlp = supportnlp;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: kb_search QUESTION [ARTICLES.jsonl]\n";
    return 2;
  }
  const std::string question = argv[1];
  const std::string path = argc > 2 ? argv[2] : SUPPORTNLP_DATA_DIR "/kb/articles.jsonl";

  std::shared_ptr<const snlp::embed::Encoder> encoder;
  if (auto e = snlp::embed::StaticEncoder::load(SUPPORTNLP_DATA_DIR "/models/encoder.snlp"))
    encoder = std::make_shared<snlp::embed::StaticEncoder>(std::move(e).value());

  auto kb = snlp::search::KnowledgeBase::create(encoder);
  if (!kb) return std::cerr << kb.error().message << '\n', 1;

  // The library's article reader: JSON Lines or TSV, bad lines reported.
  std::vector<snlp::io::RecordIssue> issues;
  auto articles = snlp::search::read_articles_file(path, &issues);
  if (!articles) return std::cerr << articles.error().message << '\n', 1;
  for (const auto& issue : issues)
    std::cerr << path << ':' << issue.line << ": " << issue.message << "; skipped\n";
  if (auto added = kb->add(articles.value()); !added)
    return std::cerr << added.error().message << '\n', 1;

  snlp::search::SearchOptions options;
  options.top_k = 3;
  std::cout << "Q: " << question << "  (" << kb->size() << " articles, "
            << (encoder ? "hybrid" : "BM25 only") << ")\n";
  for (const auto& hit : kb->search(question, options)) {
    std::cout << "\n"
              << hit.score << "  " << hit.title << "  [" << hit.article_id << "]\n  "
              << hit.passage.substr(0, 240) << (hit.passage.size() > 240 ? "..." : "") << '\n';
  }
  return 0;
}
