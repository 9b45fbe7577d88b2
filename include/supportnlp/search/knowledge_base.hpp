#pragma once
/// \file
/// KnowledgeBase: help-centre articles split into passages, searchable by
/// meaning (a DenseIndex of Encoder vectors), by words (a BM25
/// LexicalIndex) or by both fused. Articles can be added, updated and
/// removed one at a time: only the changed article is split and encoded.
///
/// \code
///   auto encoder = std::make_shared<supportnlp::embed::StaticEncoder>(
///       supportnlp::embed::StaticEncoder::load("data/models/encoder.snlp").value());
///   auto kb = supportnlp::search::KnowledgeBase::create(encoder).value();
///   if (auto r = kb.add({"reset-password", "Reset your password", "Open ...", "", {}}); !r)
///     std::cerr << r.error().message << '\n';
///   for (const auto& hit : kb.search("can't log in", {.top_k = 3}))
///     std::cout << hit.article_id << ' ' << hit.score << ' ' << hit.passage << '\n';
/// \endcode
///
/// Thread safety: search() and the other const methods may run from any
/// number of threads at once on the same KnowledgeBase. add(), update(),
/// remove() must not run concurrently with anything else on the same object;
/// to update a KB that is being searched, copy it (cheap: indexes are shared
/// copy-on-write), modify the copy and swap it in.

#include "supportnlp/embed/encoder.hpp"
#include "supportnlp/result.hpp"
#include "supportnlp/search/dense_index.hpp"
#include "supportnlp/search/lexical_index.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::search {

/// One help-centre article.
struct Article {
  std::string id;                ///< unique, non-empty
  std::string title;             ///< may be empty if the body is not
  std::string body;              ///< plain text; paragraphs separated by blank lines
  std::string url;               ///< optional
  std::vector<std::string> tags; ///< optional
};

/// Which retriever(s) a search uses.
enum class SearchMode : std::uint8_t {
  dense = 0,   ///< encoder vectors only (meaning)
  lexical = 1, ///< BM25 only (words)
  hybrid = 2,  ///< both, fused
};

/// How hybrid search fuses the two rankings.
enum class Fusion : std::uint8_t {
  /// weight_dense * cosine + weight_lexical * bm25 / (bm25 + lexical_saturation)
  linear = 0,
  /// reciprocal rank fusion: sum of weight / (rrf_k + rank)
  rrf = 1,
};

/// Per-search options. Defaults were tuned on the StackFAQ dev split
/// (docs/search.md has the figures).
struct SearchOptions {
  int top_k = 5; ///< articles returned (<= 0: none)
  SearchMode mode = SearchMode::hybrid;
  Fusion fusion = Fusion::linear;
  float dense_weight = 1.0f;        ///< weight of the dense retriever
  float lexical_weight = 4.0f;      ///< weight of the lexical retriever
  float lexical_saturation = 16.0f; ///< BM25 score mapped to 0.5 by linear fusion
  float rrf_k = 60.0f;              ///< rank offset of reciprocal rank fusion
  int candidates = 100;             ///< passages taken from each retriever before fusion
  bool highlight = true;            ///< fill SearchHit highlights (one tokenization per hit)
};

/// One article found by a search.
struct SearchHit {
  std::string article_id;
  float score = 0.0f;         ///< fused score (mode-dependent scale), higher is better
  float dense_score = 0.0f;   ///< cosine of the best passage (0 if not a dense candidate)
  float lexical_score = 0.0f; ///< BM25 of the best passage (0 if no term matched)
  std::string title;
  std::string url;
  std::string passage;             ///< text of the best passage (a slice of the body)
  std::uint32_t passage_begin = 0; ///< byte offset of the passage in the article body
  std::uint32_t passage_end = 0;
  /// Query words found in the passage, as byte offsets into the article body.
  std::vector<text::Span> highlights;
  /// Query words found in the title, as byte offsets into the title.
  std::vector<text::Span> title_highlights;
};

/// Build options of a knowledge base (stored in the KB file).
struct KnowledgeBaseOptions {
  /// Longest passage in bytes; longer paragraphs are split at sentence ends.
  int max_passage_bytes = 800;
  /// Largest accepted article (title + body) in bytes; bigger ones are
  /// rejected with invalid_argument rather than silently truncated.
  std::size_t max_article_bytes = std::size_t{4} << 20;
  /// Storage of passage vectors.
  VectorStorage storage = VectorStorage::f32;
  /// How many times an article's title counts in BM25 (field weighting:
  /// titles state what an article answers). Passages are encoded with the
  /// title once regardless.
  int title_weight = 3;
  /// Also index each title's own vector, so a query close to a title finds
  /// the article even when the body's wording differs (needs an encoder).
  /// A hit found through its title reports the article's first passage.
  bool title_vectors = true;
  /// BM25 parameters and stemming.
  Bm25Options bm25{};
};

/// A searchable collection of articles. See the file comment for an example.
class KnowledgeBase {
public:
  /// An empty KB. `encoder` may be null: the KB is then lexical only and
  /// dense or hybrid searches fall back to BM25. Fails with invalid_argument
  /// for out-of-range options.
  [[nodiscard]] static Result<KnowledgeBase> create(std::shared_ptr<const embed::Encoder> encoder,
                                                    KnowledgeBaseOptions options = {});

  /// Adds one article. Errors (invalid_argument): empty id, duplicate id,
  /// empty title and body, article over max_article_bytes. On error the KB
  /// is unchanged.
  [[nodiscard]] Result<void> add(const Article& article);
  /// Adds many articles, encoding their passages in one batch. All are
  /// checked first; if any is invalid (including ids repeated within
  /// `articles`), none is added and the error names the first bad one.
  [[nodiscard]] Result<void> add(const std::vector<Article>& articles);
  /// Replaces the article with the same id (not_found if there is none).
  [[nodiscard]] Result<void> update(const Article& article);
  /// Removes an article (not_found if there is none).
  [[nodiscard]] Result<void> remove(std::string_view id);

  /// Number of articles.
  std::size_t size() const noexcept;
  /// Number of passages over all articles.
  std::size_t passages() const noexcept;
  /// The article with this id, or nullptr. The pointer is valid until the
  /// KB is modified.
  const Article* find(std::string_view id) const noexcept;
  /// All articles in insertion order.
  const std::vector<Article>& articles() const noexcept;
  /// The encoder (null for a lexical-only KB).
  const std::shared_ptr<const embed::Encoder>& encoder() const noexcept;
  /// Build options.
  const KnowledgeBaseOptions& options() const noexcept;

  /// The best articles for `query`, best first, at most options.top_k.
  /// Never fails: an empty KB, an empty or whitespace query give no hits;
  /// invalid UTF-8 is repaired. Safe from any number of threads.
  std::vector<SearchHit> search(std::string_view query, const SearchOptions& options = {}) const;
  /// Same for a query already tokenized by a text::Tokenizer with default
  /// TokenizerOptions: BM25 and the encoder read these tokens instead of
  /// tokenizing the query again (an encoder that cannot, such as one reading
  /// subwords, encodes `query.source`). The same hits as
  /// search(query.source, options); `query.source` must still be alive.
  std::vector<SearchHit> search(const text::TokenizedText& query,
                                const SearchOptions& options = {}) const;
  /// Same with the query's vector already encoded by encoder()
  /// (encoder()->dim() floats, read during the call; e.g. from features
  /// shared with another model): the same hits as search(query, options)
  /// when `query_vector` is encoder()->encode_tokens(query). Null: the
  /// query is encoded here. A lexical-only KB or search ignores it.
  std::vector<SearchHit> search(const text::TokenizedText& query, const float* query_vector,
                                const SearchOptions& options = {}) const;

  /// Writes the KB (articles, passages, both indexes; kind "kb") atomically.
  [[nodiscard]] Result<void> save(const std::string& path) const;
  /// Loads a KB file; vectors stay memory-mapped. `encoder` must be the one
  /// the KB was built with (checked by fingerprint; invalid_argument
  /// otherwise); it may be null only for a lexical-only KB. Other errors:
  /// io_error, truncated, bad_magic, checksum_mismatch, wrong_kind,
  /// unsupported_version, corrupt.
  [[nodiscard]] static Result<KnowledgeBase> load(const std::string& path,
                                                  std::shared_ptr<const embed::Encoder> encoder);

  /// Internal state; opaque to users.
  struct Impl;

private:
  explicit KnowledgeBase(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
  Impl& mutable_impl();
  // Every search(); `tokens` (of `query`, default options) and `vector`
  // (the query's, if already encoded) may be null.
  std::vector<SearchHit> search_tokens(std::string_view query, const text::TokenizedText* tokens,
                                       const float* vector, const SearchOptions& options) const;
};

/// A passage of an article body: byte range [begin, end).
struct PassageSpan {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// Splits `body` into passages of at most `max_bytes` bytes (>= 16):
/// paragraphs (blank-line separated) are kept apart, sentences (UAX #29)
/// are packed together, a sentence longer than max_bytes is cut at spaces
/// or, failing that, at a UTF-8 character boundary. Surrounding whitespace
/// is excluded. An empty or blank body gives no passage.
std::vector<PassageSpan> split_passages(std::string_view body, int max_bytes);

} // namespace supportnlp::search
