#pragma once
/// \file
/// LexicalIndex: Okapi BM25 over the project tokenizer's normalized
/// (NFKC, case-folded) word and entity tokens, with optional English
/// stemming (Porter). Documents are numbered in insertion order.
///
/// \code
///   supportnlp::search::LexicalIndex index;              // k1 = 1.2, b = 0.75
///   index.add("How do I reset my password?");            // document 0
///   index.add("Refunds take 5-10 business days");        // document 1
///   std::vector<supportnlp::search::ScoredId> top;
///   index.search("password resets", 10, top);            // document 0 first
/// \endcode
///
/// Thread safety: search(), analyze() and match_spans() are const and may run
/// from any number of threads at once; add() and remove_docs() must not run
/// concurrently with anything else on the same object. Copies are cheap until
/// one of them is modified (copy-on-write).

#include "supportnlp/result.hpp"
#include "supportnlp/search/dense_index.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::search {

/// BM25 and analysis options.
struct Bm25Options {
  float k1 = 1.2f;       ///< term-frequency saturation (>= 0)
  float b = 0.75f;       ///< document-length normalisation (0..1)
  bool stem = true;      ///< Porter-stem lower-case ASCII words
  bool stopwords = true; ///< skip about 100 English function words ("my", "how", "the")
  /// Index sign-in phrases as one term: "log"/"sign" (any inflection) and a
  /// following in/into/on/onto/out/off/up, joined only by spaces or hyphens,
  /// give the term of the one-word spelling ("log in" = "login", "signed
  /// up" = "signup"), so "log in" does not match the noun "log".
  bool phrases = true;
};

/// BM25 index. See the file comment for an example.
class LexicalIndex {
public:
  explicit LexicalIndex(Bm25Options options = {});

  /// Options the index scores with.
  const Bm25Options& options() const noexcept;
  /// Number of documents.
  std::size_t size() const noexcept;
  /// Number of distinct terms.
  std::size_t terms() const noexcept;

  /// Adds a document; its id is the previous size().
  void add(std::string_view text);
  /// Removes the listed documents; later ids move down to stay dense (as
  /// DenseIndex::remove_rows). Nothing is re-tokenized.
  void remove_docs(const std::vector<std::uint32_t>& ids);

  /// The `k` documents with the highest BM25 score for `query`, best first
  /// (ties: lower id). Documents sharing no term with the query are not
  /// returned, so the result may be shorter than k. Never fails. `order`:
  /// ResultOrder::any leaves the same documents unsorted.
  void search(std::string_view query, int k, std::vector<ScoredId>& out,
              ResultOrder order = ResultOrder::best_first) const;
  /// Same for a query already tokenized by a text::Tokenizer with entities
  /// on (punctuation tokens, as a default Tokenizer keeps them, are
  /// skipped): the same answer as search(query.source, k, out), without
  /// tokenizing again. `query.source` must still be alive.
  void search(const text::TokenizedText& query, int k, std::vector<ScoredId>& out,
              ResultOrder order = ResultOrder::best_first) const;

  /// The index terms of `text` (normalized, stemmed), in order, repeats kept.
  std::vector<std::string> analyze(std::string_view text) const;
  /// Same for a tokenized text (tokens as for search(const TokenizedText&)).
  std::vector<std::string> analyze(const text::TokenizedText& tokens) const;
  /// Byte spans of `text` whose tokens analyze to one of the terms of
  /// `query`, in order: what a caller highlights.
  std::vector<text::Span> match_spans(std::string_view query, std::string_view text) const;
  /// Same with the query already analyzed: `sorted_terms` is analyze(query)
  /// sorted (ascending); `out` is cleared and receives the spans. For
  /// highlighting several texts against one query without re-analyzing it.
  void match_terms(const std::vector<std::string>& sorted_terms, std::string_view text,
                   std::vector<text::Span>& out) const;

  /// Adds the index's tensors, named `prefix` + "...", to a model file.
  void write(io::ModelWriter& writer, const std::string& prefix) const;
  /// Reads an index written by write(). Errors: not_found, corrupt.
  [[nodiscard]] static Result<LexicalIndex> read(const io::ModelFile& file,
                                                 const std::string& prefix);

  /// Internal state; opaque to users.
  struct Impl;

private:
  std::shared_ptr<const Impl> impl_;
  Impl& mutable_impl();
};

} // namespace supportnlp::search
