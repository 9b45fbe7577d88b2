// The article reader (supportnlp/search/articles.hpp): one policy for kb
// build, Analyzer::open and the KB file's own article list.
#include "supportnlp/search/articles.hpp"

#include "io/json_line.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <unordered_set>

namespace supportnlp::search {

ArticleFormat article_format_of(std::string_view path) noexcept {
  constexpr std::string_view tsv = ".tsv";
  return path.size() >= tsv.size() && path.substr(path.size() - tsv.size()) == tsv
             ? ArticleFormat::tsv
             : ArticleFormat::jsonl;
}

std::string parse_article_json(std::string_view line, Article& article) {
  article = Article{};
  nlohmann::json j;
  if (auto error = io::detail::parse_json_line(line, j); !error.empty()) return error;
  if (!j.is_object()) return "not a JSON object";
  // The id: a string, or an integer (people number their articles).
  if (const auto id = j.find("id"); id != j.end()) {
    if (id->is_string())
      article.id = id->get<std::string>();
    else if (id->is_number_integer())
      article.id = id->dump();
    else
      return "\"id\" is not a string or an integer";
  }
  if (article.id.empty()) return "missing \"id\"";
  std::string text;
  for (const auto& [key, field] : {std::pair<const char*, std::string*>{"title", &article.title},
                                   {"body", &article.body},
                                   {"text", &text},
                                   {"url", &article.url}}) {
    const auto it = j.find(key);
    if (it == j.end()) continue;
    if (!it->is_string()) return std::string("\"") + key + "\" is not a string";
    *field = it->get<std::string>();
  }
  if (article.body.empty()) article.body = std::move(text);
  if (const auto tags = j.find("tags"); tags != j.end() && tags->is_array())
    for (const auto& t : *tags)
      if (t.is_string()) article.tags.push_back(t.get<std::string>());
  return {};
}

namespace {

std::string parse_article_tsv(const std::vector<std::string_view>& columns, Article& article) {
  if (columns.size() < 3)
    return "expected id<TAB>title<TAB>body, got " + std::to_string(columns.size()) + " columns";
  article = Article{};
  article.id = std::string(columns[0]);
  if (article.id.empty()) return "missing \"id\"";
  article.title = std::string(columns[1]);
  article.body = std::string(columns[2]);
  if (columns.size() > 3) article.url = std::string(columns[3]);
  return {};
}

} // namespace

std::uint64_t read_articles(std::istream& in, ArticleFormat format, std::vector<Article>& out,
                            const io::IssueFn& on_issue) {
  std::unordered_set<std::string> ids;
  for (const auto& a : out)
    ids.insert(a.id);
  Article article;
  // Keeps a parsed article unless its id was read before.
  const auto keep = [&]() -> std::string {
    if (!ids.insert(article.id).second) return "duplicate article id '" + article.id + "'";
    out.push_back(std::move(article));
    return {};
  };
  if (format == ArticleFormat::tsv) {
    io::TsvOptions options;
    options.header_names = {"id"};
    return io::read_tsv(
        in, options,
        [&](std::uint64_t, std::vector<std::string_view>& columns) {
          auto error = parse_article_tsv(columns, article);
          return error.empty() ? keep() : error;
        },
        on_issue);
  }
  io::LineReader lines(in);
  std::string line;
  std::uint64_t bad = 0;
  while (lines.next(line)) {
    if (io::is_blank(line)) continue;
    auto error = parse_article_json(line, article);
    if (error.empty()) error = keep();
    if (!error.empty()) {
      ++bad;
      on_issue({lines.line_number(), std::move(error)});
    }
  }
  return bad;
}

Result<std::vector<Article>> read_articles_file(const std::string& path,
                                                std::vector<io::RecordIssue>* issues) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::io_error, "cannot open articles file " + path);
  std::vector<Article> articles;
  read_articles(in, article_format_of(path), articles, [&](const io::RecordIssue& issue) {
    if (issues) issues->push_back(issue);
  });
  if (in.bad()) return make_error(ErrorCode::io_error, path + ": read error");
  return articles;
}

Result<KnowledgeBase> open_knowledge_base(const std::string& path,
                                          std::shared_ptr<const embed::Encoder> encoder) {
  const bool articles_file = path.size() >= 6 && path.compare(path.size() - 6, 6, ".jsonl") == 0;
  if (!articles_file && article_format_of(path) != ArticleFormat::tsv)
    return KnowledgeBase::load(path, std::move(encoder));
  std::vector<io::RecordIssue> issues;
  auto articles = read_articles_file(path, &issues);
  if (!articles) return articles.error();
  if (!issues.empty())
    return make_error(ErrorCode::parse_error,
                      path + ":" + std::to_string(issues[0].line) + ": " + issues[0].message);
  auto kb = KnowledgeBase::create(std::move(encoder));
  if (!kb) return kb.error();
  if (auto added = kb->add(articles.value()); !added) return added.error();
  return kb;
}

} // namespace supportnlp::search
