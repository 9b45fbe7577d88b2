#pragma once
/// \file
/// The article reader: help-centre articles from JSON Lines or TSV, read by
/// one policy for every path that takes an articles file (`supportnlp kb
/// build`, Analyzer::open with kb/articles.jsonl, the C API).
///
/// The policy (docs/cli.md, "Articles"):
/// - JSON Lines, one object per line: "id" (a string, or an integer, kept as
///   its decimal text), "title", "body", "url" (strings), "tags" (an array;
///   elements that are not strings are ignored, as is a "tags" that is not an
///   array). When "body" is absent or empty, "text" is read as the body.
/// - TSV: `id<TAB>title<TAB>body[<TAB>url]`; a first line whose first column
///   is "id" is a header.
/// - Blank lines are skipped. A line that is not an object, has no non-empty
///   id, has a title/body/text/url that is not a string, or (TSV) has fewer
///   than three columns, is reported with its line number and skipped, as is
///   a later line repeating an id already read. The other articles are kept.
///
/// \code
///   std::vector<supportnlp::io::RecordIssue> issues;
///   auto articles = supportnlp::search::read_articles_file("kb/articles.jsonl", &issues);
///   for (const auto& i : issues) std::cerr << "line " << i.line << ": " << i.message << '\n';
///   if (articles) kb.add(articles.value());
/// \endcode
///
/// Thread safety: free functions without shared state.

#include "supportnlp/io/records.hpp"
#include "supportnlp/result.hpp"
#include "supportnlp/search/knowledge_base.hpp"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::search {

/// The two article file formats.
enum class ArticleFormat { jsonl, tsv };

/// TSV for a path ending in ".tsv", else JSON Lines.
ArticleFormat article_format_of(std::string_view path) noexcept;

/// Judges one JSON Lines article line by the policy above. Returns empty with
/// `article` filled, or the message of a malformed line (e.g. "missing
/// \"id\"", "\"title\" is not a string").
std::string parse_article_json(std::string_view line, Article& article);

/// Reads articles from `in`, appending good ones to `out` and passing each
/// bad line to `on_issue`. Returns the number of bad lines.
std::uint64_t read_articles(std::istream& in, ArticleFormat format, std::vector<Article>& out,
                            const io::IssueFn& on_issue);

/// Reads the articles file `path` (format by article_format_of). Bad lines
/// are appended to `issues` (when not null) and skipped. Errors: io_error
/// when the file cannot be read.
[[nodiscard]] Result<std::vector<Article>> read_articles_file(const std::string& path,
                                                              std::vector<io::RecordIssue>* issues);

/// A knowledge base from `path`: a KB file (KnowledgeBase::load), or an
/// articles file (".jsonl" or ".tsv") indexed with `encoder` and default
/// options. An articles file is configuration here, so a line the policy
/// refuses (duplicate ids included) is an error naming its line rather than
/// an article quietly missing from the answers. Errors: those of
/// KnowledgeBase::load, io_error, parse_error (a bad articles line),
/// invalid_argument (articles the KB refuses).
[[nodiscard]] Result<KnowledgeBase>
open_knowledge_base(const std::string& path, std::shared_ptr<const embed::Encoder> encoder);

} // namespace supportnlp::search
