// KnowledgeBase persistence in the model container (kind "kb"): metadata
// JSON, articles as a JSON Lines blob, the passage table and both indexes.
#include "io/checked_fields.hpp"
#include "search/knowledge_base_impl.hpp"
#include "supportnlp/io/model_file.hpp"
#include "supportnlp/search/articles.hpp"

#include <nlohmann/json.hpp>

#include <limits>

namespace supportnlp::search {

namespace {
constexpr int kKbFormat = 1;
}

Result<void> KnowledgeBase::save(const std::string& path) const {
  const Impl& impl = *impl_;
  nlohmann::json meta = {{"kb_format", kKbFormat},
                         {"encoder", impl.fingerprint},
                         {"dim", impl.has_dense() ? impl.encoder->dim() : 0},
                         {"articles", impl.articles.size()},
                         {"passages", impl.passages.size()},
                         {"options",
                          {{"max_passage_bytes", impl.options.max_passage_bytes},
                           {"max_article_bytes", impl.options.max_article_bytes},
                           {"storage", impl.options.storage == VectorStorage::f32 ? "f32" : "i8"},
                           {"bm25_k1", impl.options.bm25.k1},
                           {"bm25_b", impl.options.bm25.b},
                           {"stem", impl.options.bm25.stem},
                           {"stopwords", impl.options.bm25.stopwords},
                           {"phrases", impl.options.bm25.phrases},
                           {"title_weight", impl.options.title_weight},
                           {"title_vectors", impl.options.title_vectors}}}};
  io::ModelWriter writer("kb");
  writer.set_metadata(meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  std::string lines;
  for (const Article& a : impl.articles) {
    nlohmann::json j = {{"id", a.id}, {"title", a.title}, {"body", a.body}};
    if (!a.url.empty()) j["url"] = a.url;
    if (!a.tags.empty()) j["tags"] = a.tags;
    lines += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    lines.push_back('\n');
  }
  writer.add_blob("articles", lines);
  std::vector<std::uint32_t> table;
  table.reserve(impl.passages.size() * 4);
  for (const auto& p : impl.passages)
    table.insert(table.end(), {p.article, p.begin, p.end, p.title_only});
  writer.add_tensor("passages", io::DType::u32,
                    {static_cast<std::int64_t>(impl.passages.size()), 4}, table.data(),
                    table.size() * sizeof(std::uint32_t));
  impl.lexical.write(writer, "lex.");
  if (impl.has_dense()) impl.dense.write(writer, "dense.");
  return writer.save(path);
}

Result<KnowledgeBase> KnowledgeBase::load(const std::string& path,
                                          std::shared_ptr<const embed::Encoder> encoder) {
  auto file = io::ModelFile::open(path, "kb");
  if (!file) return file.error();
  const io::ModelFile& f = file.value();
  auto corrupt = [&](const std::string& what) {
    return make_error(ErrorCode::corrupt, path + ": " + what);
  };
  auto parsed = io::detail::parse_metadata(f);
  if (!parsed) return parsed.error();
  const nlohmann::json& meta = parsed.value();
  // Every field is checked for type and range: nothing here throws, and a
  // wrong value is refused naming the field.
  io::detail::FieldReader r(meta, path);
  const int kb_format = r.integer<int>("kb_format", 0, std::numeric_limits<int>::max());
  if (!r.ok()) return r.error();
  if (kb_format > kKbFormat)
    return make_error(ErrorCode::unsupported_version,
                      path + ": knowledge-base format " + std::to_string(kb_format) +
                          " is newer than this library's " + std::to_string(kKbFormat));
  KnowledgeBaseOptions options;
  const auto o = r.object("options");
  // The ranges KnowledgeBase::create accepts.
  options.max_passage_bytes = o.integer<int>("max_passage_bytes", 16, 1 << 24);
  options.max_article_bytes = o.integer<std::size_t>("max_article_bytes", 1, 0xFFFFFFF0u);
  const std::string storage = o.string("storage");
  if (o.ok() && storage != "i8" && storage != "f32")
    o.fail("storage", "is \"" + storage + "\", expected \"i8\" or \"f32\"");
  options.storage = storage == "i8" ? VectorStorage::i8 : VectorStorage::f32;
  options.title_weight = o.integer<int>("title_weight", 1, 10, 1);
  options.title_vectors = o.boolean("title_vectors", false);
  options.bm25.k1 = static_cast<float>(o.number("bm25_k1", 0.0, 99.99));
  options.bm25.b = static_cast<float>(o.number("bm25_b", 0.0, 1.0));
  options.bm25.stem = o.boolean("stem");
  options.bm25.stopwords = o.boolean("stopwords", false);
  options.bm25.phrases = o.boolean("phrases", false); // absent: written before phrase terms
  const std::string fingerprint = r.string("encoder", false, "");
  // Counts the file records; checked against its tensors below.
  constexpr auto kMaxCount = std::uint64_t{1} << 32;
  const std::uint64_t meta_articles = r.integer<std::uint64_t>("articles", 0, kMaxCount, kMaxCount);
  const std::uint64_t meta_passages = r.integer<std::uint64_t>("passages", 0, kMaxCount, kMaxCount);
  const int meta_dim = r.integer<int>("dim", 0, 65536, -1);
  if (!r.ok()) return r.error();
  if (!fingerprint.empty()) {
    if (!encoder)
      return make_error(ErrorCode::invalid_argument,
                        path + ": this KB was built with encoder " + fingerprint +
                            "; load it with that encoder (e.g. --encoder)");
    if (encoder->fingerprint() != fingerprint)
      return make_error(ErrorCode::invalid_argument,
                        path + ": this KB was built with encoder " + fingerprint +
                            " but the encoder given is " + encoder->fingerprint() +
                            "; rebuild the KB or pass the encoder it was built with");
  } else {
    encoder.reset(); // lexical-only KB: never encode queries for it
  }
  auto created = create(encoder, options);
  if (!created) return corrupt(created.error().message);
  KnowledgeBase kb = std::move(created.value());
  Impl& impl = kb.mutable_impl();

  auto blob = f.require("articles", io::DType::u8, 1);
  if (!blob) return blob.error();
  std::string_view lines = blob.value()->view();
  std::size_t line_no = 0;
  while (!lines.empty()) {
    ++line_no;
    const std::size_t end = lines.find('\n');
    if (end == std::string_view::npos) return corrupt("article list is not newline-terminated");
    const std::string_view line = lines.substr(0, end);
    lines.remove_prefix(end + 1);
    // The article policy of every articles file (search/articles.hpp); here
    // any record it refuses is damage, not a line to skip.
    Article a;
    if (auto error = parse_article_json(line, a); !error.empty())
      return corrupt("article record " + std::to_string(line_no) + ": " + error);
    if (!impl.by_id.emplace(a.id, static_cast<std::uint32_t>(impl.articles.size())).second)
      return corrupt("duplicate article id '" + a.id + "'");
    impl.articles.push_back(std::move(a));
  }

  if (meta_articles != kMaxCount && meta_articles != impl.articles.size())
    return corrupt("metadata field 'articles' is " + std::to_string(meta_articles) +
                   " but the file holds " + std::to_string(impl.articles.size()) + " articles");
  auto table = f.require("passages", io::DType::u32, 2);
  if (!table) return table.error();
  const io::Tensor& t = *table.value();
  if (t.shape[1] != 4) return corrupt("passage table must have 4 columns");
  const std::uint32_t* v = t.as<std::uint32_t>();
  impl.passages.resize(static_cast<std::size_t>(t.shape[0]));
  for (std::size_t p = 0; p < impl.passages.size(); ++p) {
    Impl::Passage ps{v[4 * p], v[4 * p + 1], v[4 * p + 2], v[4 * p + 3]};
    if (ps.article >= impl.articles.size() || ps.begin > ps.end || ps.title_only > 1 ||
        ps.end > impl.articles[ps.article].body.size())
      return corrupt("passage " + std::to_string(p) + " is out of range");
    impl.passages[p] = ps;
  }

  if (meta_passages != kMaxCount && meta_passages != impl.passages.size())
    return corrupt("metadata field 'passages' is " + std::to_string(meta_passages) +
                   " but tensor 'passages' has " + std::to_string(impl.passages.size()) + " rows");
  if (meta_dim >= 0 && meta_dim != (impl.has_dense() ? impl.encoder->dim() : 0))
    return corrupt("metadata field 'dim' is " + std::to_string(meta_dim) +
                   " but the KB's encoder has dimension " +
                   std::to_string(impl.has_dense() ? impl.encoder->dim() : 0));
  auto lexical = LexicalIndex::read(f, "lex.");
  if (!lexical) return lexical.error();
  if (lexical.value().size() != impl.passages.size())
    return corrupt("lexical index has " + std::to_string(lexical.value().size()) +
                   " documents for " + std::to_string(impl.passages.size()) + " passages");
  // The index's BM25 parameters are those the metadata records.
  const Bm25Options& bm = lexical.value().options();
  if (bm.k1 != options.bm25.k1 || bm.b != options.bm25.b || bm.stem != options.bm25.stem ||
      bm.stopwords != options.bm25.stopwords || bm.phrases != options.bm25.phrases)
    return corrupt("lexical index parameters (tensor 'lex.params') differ from metadata field "
                   "'options'");
  impl.lexical = std::move(lexical.value());
  if (impl.has_dense()) {
    auto dense = DenseIndex::read(f, "dense.");
    if (!dense) return dense.error();
    if (dense.value().size() != impl.passages.size() || dense.value().dim() != impl.encoder->dim())
      return corrupt("dense index does not match the passages or the encoder dimension");
    impl.dense = std::move(dense.value());
  }
  return kb;
}

} // namespace supportnlp::search
