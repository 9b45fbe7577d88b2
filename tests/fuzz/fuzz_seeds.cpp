// Writes the fuzz harnesses' seed corpora: `fuzz_seeds OUT_DIR` fills
// OUT_DIR/<harness>/ with small inputs made at run time (nothing here is
// committed): tiny models of every kind trained on a few lines of data/,
// the golden container, sample tickets, KB queries and articles, record
// files, and C API selector + text/options inputs. Models are kept tiny
// (a few KB) so that a fuzzer executes thousands of them per second; the
// shipped models in data/models (3-8 MB) are added by scripts/fuzz.sh only
// when FUZZ_BIG_SEEDS=1.
#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/embed/transformer_encoder.hpp"
#include "supportnlp/io/model_file.hpp"
#include "supportnlp/models/intent/intent.hpp"
#include "supportnlp/models/sentiment/sentiment_model.hpp"
#include "supportnlp/search/dense_index.hpp"
#include "supportnlp/search/knowledge_base.hpp"
#include "supportnlp/search/lexical_index.hpp"
#include "supportnlp/text/language_identifier.hpp"
#include "supportnlp/text/subwords.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace supportnlp;
namespace fs = std::filesystem;

namespace {

fs::path out_dir;
int written = 0;

void put(const std::string& harness, const std::string& name, std::string_view bytes) {
  fs::create_directories(out_dir / harness);
  std::ofstream(out_dir / harness / name, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ++written;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines(const fs::path& p) {
  std::vector<std::string> out;
  std::ifstream in(p);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

// A model saved by `save(path)` read back as bytes.
template <class Save> std::string saved(Save save) {
  const fs::path tmp = out_dir / "tmp.snlp";
  if (!save(tmp.string())) {
    std::cerr << "fuzz_seeds: a seed model could not be saved\n";
    std::exit(1);
  }
  std::string b = slurp(tmp);
  fs::remove(tmp);
  return b;
}

template <class R> auto must(R r, const char* what) {
  if (!r) {
    std::cerr << "fuzz_seeds: " << what << ": " << r.error().message << '\n';
    std::exit(1);
  }
  return std::move(r.value());
}

// Model seeds also go to model_file, the container harness.
void put_model(const std::string& harness, const std::string& name, const std::string& bytes) {
  put(harness, name, bytes);
  put("model_file", harness + "-" + name, bytes);
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fuzz_seeds OUT_DIR DATA_DIR\n";
    return 2;
  }
  out_dir = argv[1];
  const fs::path data = argv[2];
  fs::create_directories(out_dir);

  // Texts: sample tickets and KB queries.
  std::vector<std::string> texts;
  for (const auto& l : lines(data / "samples" / "tickets.jsonl")) {
    auto j = nlohmann::json::parse(l, nullptr, false);
    if (j.is_object() && j.contains("text") && j["text"].is_string())
      texts.push_back(j["text"].get<std::string>());
  }
  for (const auto& l : lines(data / "kb" / "queries.txt"))
    texts.push_back(l);
  texts.push_back("");
  texts.push_back("bad \xFF\xFE utf8 \xC3");
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string& t = texts[i];
    const std::string n = std::to_string(i);
    for (const char* h : {"utf8", "sentences", "analyzer"})
      put(h, n, t);
    const char sel = static_cast<char>(i * 7);
    for (const char* h : {"normalizer", "tokenizer", "pii", "urgency"})
      put(h, n, std::string(1, sel) + t);
    // C API (entry = selector % 11, variant = selector / 11): the text
    // entry points 1, 3, 5, 6, 7 and 10.
    for (char s : {1, 3, 5, 6, 7, 10})
      put("capi", n + "-" + std::to_string(int(s)),
          std::string(1, static_cast<char>(s + 11 * (i % 3))) + t);
  }
  for (const char* o : {"{}", R"({"entities":false,"normalization":"none"})",
                        R"({"punctuation":false,"normalization":"nfkc"})"})
    put("capi", std::string("tok-") + std::to_string(written), std::string(1, 0) + o);
  put("capi", "pii-opts", std::string(1, 2) + R"({"emails":false,"phones":true,"cards":false})");
  put("capi", "urg-opts",
      std::string(1, 4) + R"({"critical_points":5,"high_points":1,"negative_sentiment":-0.2})");
  // Analyzer options naming the paths the harness allows (entry 8), and
  // transformer options for both fixtures (entry 9, variants 0 and 1).
  const std::string tests_data = std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data";
  put("capi", "analyzer-opts", std::string(1, 8) + "{}");
  put("capi", "analyzer-opts-other-kind",
      std::string(1, 8) +
          nlohmann::json{{"sentiment_model", tests_data + "/golden/v1_0.snlp"}, {"encoder", ""}}
              .dump());
  put("capi", "analyzer-opts-missing",
      std::string(1, 8) +
          nlohmann::json{{"sentiment_model", tests_data + "/no-such-model.snlp"}}.dump());
  for (char s : {9, 20}) {
    put("capi", "transformer-opts-" + std::to_string(int(s)), std::string(1, s) + "{}");
    put("capi", "transformer-opts-cls-" + std::to_string(int(s)),
        std::string(1, s) + R"({"pooling":"cls","max_seq_length":8,"threads":2})");
    put("capi", "transformer-opts-max-" + std::to_string(int(s)),
        std::string(1, s) + R"({"pooling":"max","max_seq_length":0})");
  }

  // Records: JSONL and TSV.
  const auto tickets = lines(data / "samples" / "tickets.jsonl");
  for (std::size_t i = 0; i + 3 <= tickets.size() && i < 30; i += 3)
    put("records", "jsonl-" + std::to_string(i),
        std::string(1, static_cast<char>(i)) + tickets[i] + "\n" + tickets[i + 1] + "\n\n" +
            tickets[i + 2] + "\n");
  put("records", "tsv-queries", std::string(1, 4) + slurp(data / "kb" / "queries.tsv"));
  put("records", "tsv-qrels", std::string(1, 12) + slurp(data / "kb" / "qrels.tsv"));
  put("records", "labeled",
      std::string(1, 5) + "I want my money back\trefund\nreset my password\tpassword\n"
                          "{\"text\":\"where is my parcel\",\"label\":\"delivery\"}\n");

  // Models. The golden container holds one tensor of every dtype.
  put("model_file", "golden",
      slurp(fs::path(SUPPORTNLP_SOURCE_DIR) / "tests/data/golden/v1_0.snlp"));

  std::vector<models::LabeledText> labeled;
  const char* refund[] = {"I want my money back", "refund please", "where is my refund",
                          "refund not received yet"};
  const char* password[] = {"I forgot my password", "reset my password", "can't log in",
                            "locked out of my account"};
  const char* other[] = {"what is the weather", "tell me a joke", "who won the game",
                         "play some music"};
  for (int round = 0; round < 3; ++round)
    for (int k = 0; k < 4; ++k) {
      labeled.push_back({refund[k], "billing.refund"});
      labeled.push_back({password[k], "account.password"});
      labeled.push_back({other[k], "oos"});
    }
  {
    models::ClassifierTrainOptions o;
    o.features.buckets = 512;
    o.max_epochs = 5;
    o.validation_fraction = 0.25;
    auto intent = must(models::IntentClassifier::train(labeled, {}, o), "intent");
    put_model("intent_model", "tiny",
              saved([&](const std::string& p) { return intent.save(p).ok(); }));
    o.dense_view = true;
    o.dense_dim = 8;
    auto dense = must(models::IntentClassifier::train(labeled, {}, o), "intent (dense view)");
    put_model("intent_model", "tiny-dense",
              saved([&](const std::string& p) { return dense.save(p).ok(); }));
  }
  {
    std::vector<models::LabeledText> s;
    const char* neg[] = {"this is terrible", "worst service ever", "I am so angry", "awful"};
    const char* pos[] = {"thank you so much", "great help", "love it", "excellent support"};
    const char* neu[] = {"where is my order", "what time is it", "my account id", "hello"};
    for (int round = 0; round < 3; ++round)
      for (int k = 0; k < 4; ++k) {
        s.push_back({neg[k], "negative"});
        s.push_back({pos[k], "positive"});
        s.push_back({neu[k], "neutral"});
      }
    models::SentimentTrainOptions o;
    o.classifier.features.buckets = 512;
    o.classifier.max_epochs = 5;
    o.nb.features.buckets = 512;
    o.nb.bags = 1;
    auto sent = must(models::SentimentModel::train(s, {}, o), "sentiment");
    put_model("sentiment_model", "tiny",
              saved([&](const std::string& p) { return sent.save(p).ok(); }));
  }
  embed::StaticEncoderTrainOptions eo;
  for (int k = 0; k < 4; ++k) {
    eo.examples.push_back({refund[k], "refund"});
    eo.examples.push_back({password[k], "password"});
    eo.examples.push_back({other[k], "other"});
  }
  eo.dim = 8;
  eo.max_features = 300;
  eo.min_count = 1;
  eo.epochs = 2;
  eo.batch_size = 4;
  eo.hash_buckets = 4096;
  auto enc = must(embed::StaticEncoder::train(eo), "encoder");
  put_model("static_encoder", "tiny-i8", must(enc.serialize(embed::WeightStorage::i8), "encoder"));
  put_model("static_encoder", "tiny-f32",
            must(enc.serialize(embed::WeightStorage::f32), "encoder"));

  for (auto storage : {search::VectorStorage::f32, search::VectorStorage::i8}) {
    search::DenseIndexOptions o;
    o.storage = storage;
    o.rerank = storage == search::VectorStorage::i8 ? 2 : 0;
    search::DenseIndex index(8, o);
    std::vector<float> rows(8 * 6);
    for (std::size_t i = 0; i < rows.size(); ++i)
      rows[i] = static_cast<float>((i * 37) % 11) - 5.0f;
    index.add(rows.data(), 6);
    put_model("dense_index", storage == search::VectorStorage::f32 ? "f32" : "i8",
              saved([&](const std::string& p) { return index.save(p).ok(); }));
  }
  {
    search::LexicalIndex lex;
    for (const char* t : {"reset your password from the login page", "refunds take five days",
                          "track your parcel with the order number", "cancel a subscription"})
      lex.add(t);
    io::ModelWriter w("lexical-index");
    lex.write(w, "");
    put_model("lexical_index", "tiny", must(w.serialize(), "lexical index"));
  }
  {
    auto shipped = must(embed::StaticEncoder::load((data / "models" / "encoder.snlp").string()),
                        "shipped encoder");
    auto encoder = std::make_shared<const embed::StaticEncoder>(std::move(shipped));
    const auto articles = lines(data / "kb" / "articles.jsonl");
    for (auto storage : {search::VectorStorage::f32, search::VectorStorage::i8}) {
      search::KnowledgeBaseOptions o;
      o.storage = storage;
      auto kb = must(search::KnowledgeBase::create(encoder, o), "kb");
      for (std::size_t i = 0; i < articles.size() && i < 3; ++i) {
        auto j = nlohmann::json::parse(articles[i]);
        search::Article a;
        a.id = j.value("id", "a" + std::to_string(i));
        a.title = j.value("title", "");
        a.body = j.value("body", "").substr(0, 600);
        if (!kb.add(a)) return 1;
      }
      put_model("kb", storage == search::VectorStorage::f32 ? "f32" : "i8",
                saved([&](const std::string& p) { return kb.save(p).ok(); }));
    }
  }
  {
    text::SubwordTrainOptions o;
    o.vocab_size = 400;
    o.character_coverage = 0.98;
    o.model_type = "unigram";
    o.hard_vocab_limit = false;
    std::vector<std::string> sentences(texts.begin(), texts.end());
    auto sp = must(text::Subwords::train_from_sentences(sentences, o), "subwords");
    put("subwords", "unigram", sp.model_bytes());
    o.model_type = "bpe";
    auto bpe = must(text::Subwords::train_from_sentences(sentences, o), "subwords (bpe)");
    put("subwords", "bpe", bpe.model_bytes());
  }
  {
    // transformer: a small safetensors file (selector 0: an F32 and an F16
    // tensor, with metadata) and the texts for the WordPiece tokenizer (odd
    // selectors: the max_length varies with it).
    const std::string header =
        R"({"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
        R"("b":{"dtype":"F16","shape":[4],"data_offsets":[24,32]}})";
    std::string file;
    for (int k = 0; k < 8; ++k)
      file.push_back(static_cast<char>((header.size() >> (8 * k)) & 0xFF));
    file += header;
    const float a[6] = {0.5f, -1.0f, 2.0f, 0.0f, 3.25f, -0.125f};
    file.append(reinterpret_cast<const char*>(a), sizeof a);
    const unsigned char b[8] = {0x00, 0x3C, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x38}; // 1, -2, 0, 0.5
    file.append(reinterpret_cast<const char*>(b), sizeof b);
    put("transformer", "safetensors", std::string(1, 0) + file);
    for (std::size_t i = 0; i < texts.size() && i < 24; ++i)
      put("transformer", "text-" + std::to_string(i),
          std::string(1, static_cast<char>(2 * (i * 5) + 1)) + texts[i]);
  }
  {
    // transformer_file: the test fixtures converted (convert encoder),
    // float32 and int8, WordPiece and SentencePiece.
    const std::string fixtures = std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/transformer/";
    for (const char* name : {"bert-bare", "xlmr"})
      for (bool int8 : {false, true}) {
        embed::TransformerEncoderOptions o;
        o.int8 = int8;
        auto enc = must(embed::TransformerEncoder::load(fixtures + name, o), "transformer fixture");
        put_model("transformer_file", std::string(name) + (int8 ? "-int8" : "-f32"),
                  saved([&](const std::string& p) { return enc.save(p).ok(); }));
      }
  }
  {
    std::vector<text::LanguageSample> samples;
    const char* en[] = {"where is my parcel", "I want a refund", "the order has not arrived"};
    const char* es[] = {"donde esta mi paquete", "quiero un reembolso", "el pedido no ha llegado"};
    const char* de[] = {"wo ist mein Paket", "ich will mein Geld", "die Bestellung ist nicht da"};
    for (int k = 0; k < 3; ++k) {
      samples.push_back({en[k], "en"});
      samples.push_back({es[k], "es"});
      samples.push_back({de[k], "de"});
    }
    text::LanguageTrainOptions o;
    o.max_features = 500;
    auto lid = must(text::LanguageIdentifier::train(samples, o), "langid");
    put_model("langid", "tiny", saved([&](const std::string& p) { return lid.save(p).ok(); }));
  }
  std::cout << "fuzz_seeds: " << written << " seeds in " << out_dir.string() << '\n';
  return 0;
}
