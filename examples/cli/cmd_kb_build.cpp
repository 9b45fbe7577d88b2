// supportnlp kb build: articles (JSON Lines {id,title,body,url?,tags?} or TSV
// id<TAB>title<TAB>body, read by the library's article policy,
// search/articles.hpp) -> a knowledge-base file. Bad records are reported
// with their line number and skipped; the KB is still written from the good
// ones and the exit code is 1.
#include "cmd_kb_common.hpp"
#include "command.hpp"
#include "options.hpp"

#include <supportnlp/search/articles.hpp>

#include <chrono>

namespace {

using supportnlp::search::Article;

int run(const supportnlp::cli::Args& args) {
  std::string articles, output, encoder_name, storage = "f32";
  int max_passage = 800, title_weight = supportnlp::search::KnowledgeBaseOptions{}.title_weight;
  double k1 = 1.2, b = 0.75;
  bool no_stem = false, no_stopwords = false, no_phrases = false;
  supportnlp::cli::Options opts("kb build",
                                "supportnlp kb build --articles F(.jsonl|.tsv) --output KB "
                                "[--encoder M|none] [--storage f32|i8]");
  opts.add("--articles", &articles, "articles: JSON Lines or TSV (id, title, body)")
      .add("--output", &output, "KB file to write")
      .add("--encoder", &encoder_name,
           "encoder model file or Hugging Face folder (default: bundled; 'none': BM25 only)")
      .add("--storage", &storage, "passage vectors: f32 or i8 (default f32)")
      .add("--max-passage-bytes", &max_passage, "longest passage")
      .add("--title-weight", &title_weight, "times the title counts in BM25")
      .add("--k1", &k1, "BM25 k1")
      .add("--b", &b, "BM25 b")
      .flag("--no-stem", &no_stem, "do not stem English words")
      .flag("--no-stopwords", &no_stopwords, "index English function words too")
      .flag("--no-phrases", &no_phrases, "index 'log in', 'sign up' as separate words");
  opts.positionals(0); // every input is named by an option
  if (int rc = opts.parse(args); rc >= 0) return rc;
  if (articles.empty() || output.empty()) {
    std::cerr << "supportnlp kb build: --articles and --output are required\n";
    return 2;
  }
  if (storage != "f32" && storage != "i8") {
    std::cerr << "supportnlp kb build: --storage must be f32 or i8\n";
    return 2;
  }
  bool failed = false;
  auto encoder = supportnlp::cli::kb::load_encoder(encoder_name, "kb build", failed);
  if (failed) return 2;
  if (!encoder) std::cerr << "supportnlp kb build: no encoder; building a lexical (BM25) only KB\n";

  // The library's article policy (search/articles.hpp): bad lines and
  // repeated ids are reported with their line number and skipped.
  std::vector<Article> list;
  std::uint64_t bad = 0;
  const int rc = supportnlp::cli::with_input(articles, [&](std::istream& in) {
    bad = supportnlp::search::read_articles(in, supportnlp::search::article_format_of(articles),
                                            list, [&](const supportnlp::io::RecordIssue& issue) {
                                              std::cerr << articles << ':' << issue.line << ": "
                                                        << issue.message << "; skipped\n";
                                            });
    return 0;
  });
  if (rc) return rc;

  supportnlp::search::KnowledgeBaseOptions options;
  options.max_passage_bytes = max_passage;
  options.title_weight = title_weight;
  options.storage = storage == "i8" ? supportnlp::search::VectorStorage::i8
                                    : supportnlp::search::VectorStorage::f32;
  options.bm25 = {static_cast<float>(k1), static_cast<float>(b), !no_stem, !no_stopwords,
                  !no_phrases};
  auto kb = supportnlp::search::KnowledgeBase::create(encoder, options);
  if (!kb) {
    std::cerr << "supportnlp kb build: " << kb.error().message << '\n';
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  // Articles one at a time so that one bad article (duplicate id, too big)
  // is reported and skipped rather than failing the whole batch; good runs
  // are added in batches for speed.
  std::vector<Article> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    if (auto r = kb->add(batch); !r) {
      for (const auto& a : batch)
        if (auto r1 = kb->add(a); !r1) {
          std::cerr << articles << ": article '" << a.id << "': " << r1.error().message
                    << "; skipped\n";
          ++bad;
        }
    }
    batch.clear();
  };
  for (auto& a : list) {
    batch.push_back(std::move(a));
    if (batch.size() >= 256) flush();
  }
  flush();
  if (auto r = kb->save(output); !r) {
    std::cerr << "supportnlp kb build: " << r.error().message << '\n';
    return 2;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "supportnlp kb build: " << kb->size() << " articles, " << kb->passages()
            << " passages in " << secs << " s -> " << output << (encoder ? "" : " (BM25 only)")
            << '\n';
  if (bad) std::cerr << "supportnlp kb build: " << bad << " bad record(s)\n";
  return bad ? 1 : 0;
}

supportnlp::cli::CommandRegistration reg{"kb build", "build a knowledge-base file from articles",
                                         run};

} // namespace
