// KnowledgeBase construction and incremental changes: only the articles
// added or changed are split, tokenized and encoded.
#include "search/knowledge_base_impl.hpp"

#include <algorithm>
#include <unordered_set>

namespace supportnlp::search {

namespace {

Result<void> validate(const Article& a, const KnowledgeBaseOptions& options) {
  if (a.id.empty()) return make_error(ErrorCode::invalid_argument, "article with an empty id");
  if (a.title.find_first_not_of(" \t\r\n") == std::string::npos &&
      a.body.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error(ErrorCode::invalid_argument,
                      "article '" + a.id + "' has neither a title nor a body");
  const std::size_t bytes = a.title.size() + a.body.size();
  if (bytes > options.max_article_bytes)
    return make_error(ErrorCode::invalid_argument,
                      "article '" + a.id + "' has " + std::to_string(bytes) +
                          " bytes, more than the limit of " +
                          std::to_string(options.max_article_bytes) +
                          " (KnowledgeBaseOptions::max_article_bytes); split it into several "
                          "articles");
  return {};
}

} // namespace

Result<KnowledgeBase> KnowledgeBase::create(std::shared_ptr<const embed::Encoder> encoder,
                                            KnowledgeBaseOptions options) {
  if (options.max_passage_bytes < 16 || options.max_passage_bytes > (1 << 24))
    return make_error(ErrorCode::invalid_argument,
                      "max_passage_bytes must be in 16..16777216, got " +
                          std::to_string(options.max_passage_bytes));
  if (!(options.bm25.k1 >= 0.0f && options.bm25.k1 < 100.0f) ||
      !(options.bm25.b >= 0.0f && options.bm25.b <= 1.0f))
    return make_error(ErrorCode::invalid_argument, "BM25 k1 must be in [0, 100) and b in [0, 1]");
  if (options.title_weight < 1 || options.title_weight > 10)
    return make_error(ErrorCode::invalid_argument, "title_weight must be in 1..10");
  if (options.max_article_bytes == 0 || options.max_article_bytes > 0xFFFFFFF0u)
    return make_error(ErrorCode::invalid_argument, "max_article_bytes must be in 1..4294967280");
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  impl->encoder = std::move(encoder);
  if (impl->encoder) {
    if (impl->encoder->dim() <= 0 || impl->encoder->dim() > 65536)
      return make_error(ErrorCode::invalid_argument, "encoder dimension out of range");
    impl->fingerprint = impl->encoder->fingerprint();
    impl->dense = DenseIndex(impl->encoder->dim(), DenseIndexOptions{options.storage});
  }
  impl->lexical = LexicalIndex(options.bm25);
  return KnowledgeBase(std::move(impl));
}

KnowledgeBase::Impl& KnowledgeBase::mutable_impl() {
  if (impl_.use_count() != 1) impl_ = std::make_shared<Impl>(*impl_);
  return const_cast<Impl&>(*impl_);
}

Result<void> KnowledgeBase::add(const Article& article) {
  return add(std::vector<Article>{article});
}

Result<void> KnowledgeBase::add(const std::vector<Article>& articles) {
  std::unordered_set<std::string_view> seen;
  for (const Article& a : articles) {
    if (auto r = validate(a, impl_->options); !r) return r;
    if (impl_->by_id.count(a.id) || !seen.insert(a.id).second)
      return make_error(ErrorCode::invalid_argument, "duplicate article id '" + a.id + "'");
  }
  if (articles.empty()) return {};
  Impl& impl = mutable_impl();
  const std::size_t first_passage = impl.passages.size();
  for (const Article& a : articles) {
    const auto index = static_cast<std::uint32_t>(impl.articles.size());
    impl.articles.push_back(a);
    impl.by_id.emplace(a.id, index);
    std::vector<PassageSpan> spans = split_passages(a.body, impl.options.max_passage_bytes);
    if (spans.empty()) spans.push_back({0, 0}); // title only
    for (const PassageSpan& s : spans)
      impl.passages.push_back({index, s.begin, s.end, 0});
    if (impl.options.title_vectors && impl.has_dense() &&
        a.title.find_first_not_of(" \t\r\n") != std::string::npos &&
        !(spans.size() == 1 && spans[0].end == 0))
      impl.passages.push_back({index, spans.front().begin, spans.front().end, 1});
  }
  std::vector<std::string> texts;
  texts.reserve(impl.passages.size() - first_passage);
  for (std::size_t p = first_passage; p < impl.passages.size(); ++p)
    texts.push_back(impl.passage_text(impl.passages[p]));
  for (std::size_t p = first_passage; p < impl.passages.size(); ++p)
    impl.lexical.add(impl.passages[p].title_only // the title already counts in each passage
                         ? std::string()
                         : impl.passage_text(impl.passages[p], impl.options.title_weight));
  if (impl.has_dense()) {
    const std::size_t dim = static_cast<std::size_t>(impl.encoder->dim());
    // Encode in chunks to bound memory for large imports.
    constexpr std::size_t kChunk = 1024;
    std::vector<float> vectors;
    std::vector<std::string_view> views;
    for (std::size_t b = 0; b < texts.size(); b += kChunk) {
      const std::size_t n = std::min(kChunk, texts.size() - b);
      views.assign(texts.begin() + static_cast<std::ptrdiff_t>(b),
                   texts.begin() + static_cast<std::ptrdiff_t>(b + n));
      vectors.resize(n * dim);
      impl.encoder->encode_batch(views, vectors.data());
      impl.dense.add(vectors.data(), n);
    }
  }
  return {};
}

Result<void> KnowledgeBase::update(const Article& article) {
  if (!impl_->by_id.count(article.id))
    return make_error(ErrorCode::not_found, "no article with id '" + article.id + "' to update");
  if (auto r = validate(article, impl_->options); !r) return r;
  if (auto r = remove(article.id); !r) return r;
  return add(article);
}

Result<void> KnowledgeBase::remove(std::string_view id) {
  auto it = impl_->by_id.find(std::string(id));
  if (it == impl_->by_id.end())
    return make_error(ErrorCode::not_found, "no article with id '" + std::string(id) + "'");
  const std::uint32_t index = it->second;
  Impl& impl = mutable_impl();
  std::vector<std::uint32_t> drop;
  std::vector<Impl::Passage> kept;
  kept.reserve(impl.passages.size());
  for (std::size_t p = 0; p < impl.passages.size(); ++p) {
    Impl::Passage passage = impl.passages[p];
    if (passage.article == index) {
      drop.push_back(static_cast<std::uint32_t>(p));
      continue;
    }
    if (passage.article > index) --passage.article;
    kept.push_back(passage);
  }
  impl.passages = std::move(kept);
  impl.lexical.remove_docs(drop);
  if (impl.has_dense()) impl.dense.remove_rows(drop);
  impl.articles.erase(impl.articles.begin() + index);
  impl.rebuild_ids();
  return {};
}

std::size_t KnowledgeBase::size() const noexcept {
  return impl_->articles.size();
}
std::size_t KnowledgeBase::passages() const noexcept {
  return impl_->passages.size();
}
const Article* KnowledgeBase::find(std::string_view id) const noexcept {
  auto it = impl_->by_id.find(std::string(id));
  return it == impl_->by_id.end() ? nullptr : &impl_->articles[it->second];
}
const std::vector<Article>& KnowledgeBase::articles() const noexcept {
  return impl_->articles;
}
const std::shared_ptr<const embed::Encoder>& KnowledgeBase::encoder() const noexcept {
  return impl_->encoder;
}
const KnowledgeBaseOptions& KnowledgeBase::options() const noexcept {
  return impl_->options;
}

} // namespace supportnlp::search
