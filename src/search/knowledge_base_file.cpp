// KnowledgeBase persistence in the model container (kind "kb"): metadata
// JSON, articles as a JSON Lines blob, the passage table and both indexes.
#include "search/knowledge_base_impl.hpp"
#include "supportnlp/io/model_file.hpp"

#include <nlohmann/json.hpp>

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
  nlohmann::json meta = nlohmann::json::parse(f.metadata(), nullptr, false);
  if (!meta.is_object() || !meta.contains("kb_format") || !meta["kb_format"].is_number_integer())
    return corrupt("metadata is not a knowledge-base description");
  if (meta["kb_format"].get<int>() > kKbFormat)
    return make_error(ErrorCode::unsupported_version,
                      path + ": knowledge-base format " +
                          std::to_string(meta["kb_format"].get<int>()) +
                          " is newer than this library's " + std::to_string(kKbFormat));
  KnowledgeBaseOptions options;
  try {
    const auto& o = meta.at("options");
    options.max_passage_bytes = o.at("max_passage_bytes").get<int>();
    options.max_article_bytes = o.at("max_article_bytes").get<std::size_t>();
    options.storage =
        o.at("storage").get<std::string>() == "i8" ? VectorStorage::i8 : VectorStorage::f32;
    options.title_weight = o.value("title_weight", 1);
    options.title_vectors = o.value("title_vectors", false);
    options.bm25 = {o.at("bm25_k1").get<float>(), o.at("bm25_b").get<float>(),
                    o.at("stem").get<bool>(), o.value("stopwords", false),
                    o.value("phrases", false)}; // absent: written before phrase terms
  } catch (const std::exception& e) {
    return corrupt(std::string("bad options in metadata: ") + e.what());
  }
  const std::string fingerprint = meta.value("encoder", std::string());
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
    nlohmann::json j = nlohmann::json::parse(lines.substr(0, end), nullptr, false);
    lines.remove_prefix(end + 1);
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string())
      return corrupt("article record " + std::to_string(line_no) + " is malformed");
    Article a;
    a.id = j["id"].get<std::string>();
    a.title = j.value("title", std::string());
    a.body = j.value("body", std::string());
    a.url = j.value("url", std::string());
    if (j.contains("tags") && j["tags"].is_array())
      for (const auto& t : j["tags"])
        if (t.is_string()) a.tags.push_back(t.get<std::string>());
    if (!impl.by_id.emplace(a.id, static_cast<std::uint32_t>(impl.articles.size())).second)
      return corrupt("duplicate article id '" + a.id + "'");
    impl.articles.push_back(std::move(a));
  }

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

  auto lexical = LexicalIndex::read(f, "lex.");
  if (!lexical) return lexical.error();
  if (lexical.value().size() != impl.passages.size())
    return corrupt("lexical index has " + std::to_string(lexical.value().size()) +
                   " documents for " + std::to_string(impl.passages.size()) + " passages");
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
