// The converted transformer encoder file (encoder_file.hpp): metadata and
// tokenizer written and read with every field checked.
#include "embed/transformer/encoder_file.hpp"

#include "io/checked_fields.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

namespace supportnlp::embed::transformer {
namespace {

using nlohmann::json;

constexpr const char* kVocabTensor = "tokenizer.vocab";
constexpr const char* kSentencePieceTensor = "tokenizer.sentencepiece";

Error corrupt(const std::string& path, const std::string& what) {
  return make_error(ErrorCode::corrupt, path + ": " + what);
}

} // namespace

std::string weights_hash_hex(std::uint64_t hash) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

Result<io::ModelWriter> encoder_file_writer(const HfFolder& cfg, const TokenizerSource& tok,
                                            const BertModel& model, std::uint64_t weights_hash) {
  const ModelConfig& c = cfg.model;
  json meta = json::object();
  meta["encoder"] = "transformer";
  meta["version"] = kEncoderFileVersion;
  meta["weights"] = model.int8() ? "int8" : "f32";
  meta["weights_hash"] = weights_hash_hex(weights_hash);
  meta["model"] = {{"model_type", c.xlm_roberta ? "xlm-roberta" : "bert"},
                   {"vocab_size", c.vocab_size},
                   {"hidden_size", c.hidden},
                   {"num_hidden_layers", c.layers},
                   {"num_attention_heads", c.heads},
                   {"intermediate_size", c.intermediate},
                   {"max_position_embeddings", c.max_positions},
                   {"type_vocab_size", c.type_vocab_size},
                   {"pad_token_id", c.pad_token_id},
                   // A float widened to double is exact, and parses back to
                   // the same float.
                   {"layer_norm_eps", static_cast<double>(c.layer_norm_eps)}};
  meta["sentence"] = {{"pooling", pooling_name(cfg.sentence.pooling)},
                      {"normalize", cfg.sentence.normalize},
                      {"max_seq_length", cfg.sentence.max_seq_length}};
  io::ModelWriter writer(kEncoderFileKind);
  if (tok.sentencepiece) {
    meta["tokenizer"] = {{"type", "sentencepiece"}};
  } else {
    const WordPieceConfig& w = tok.wordpiece;
    meta["tokenizer"] = {{"type", "wordpiece"},
                         {"lower_case", w.normalization.lower_case},
                         {"strip_accents", w.normalization.strip_accents},
                         {"chinese_chars", w.normalization.chinese_chars},
                         {"unk_token", w.unk_token},
                         {"cls_token", w.cls_token},
                         {"sep_token", w.sep_token},
                         {"pad_token", w.pad_token},
                         {"special_tokens", w.special_tokens},
                         {"max_word_chars", w.max_word_chars}};
  }
  // Every token ends with a newline, so a hole (empty token) at the end
  // survives; a token holding a line break could not be read back.
  std::string vocab;
  if (!tok.sentencepiece) {
    for (std::size_t i = 0; i < tok.wordpiece.vocab.size(); ++i) {
      const std::string& t = tok.wordpiece.vocab[i];
      if (t.find_first_of("\r\n") != std::string::npos)
        return make_error(ErrorCode::invalid_data,
                          tok.wordpiece.source + ": token " + std::to_string(i) +
                              " holds a line break, which the converted file cannot store");
      vocab += t;
      vocab += '\n';
    }
  }
  writer.set_metadata(meta.dump());
  if (tok.sentencepiece)
    writer.add_blob(kSentencePieceTensor, tok.sentencepiece_model);
  else
    writer.add_blob(kVocabTensor, vocab);
  model.write(writer);
  return writer;
}

Result<EncoderFile> read_encoder_file(io::ModelFile file, WeightMode mode) {
  const std::string path = file.path();
  try {
    auto parsed = io::detail::parse_metadata(file);
    if (!parsed) return parsed.error();
    const json& meta = parsed.value();
    io::detail::FieldReader r(meta, path);
    const std::string encoder = r.string("encoder", false, "");
    if (!r.ok() || encoder != "transformer")
      return make_error(ErrorCode::wrong_kind,
                        path + ": not a converted transformer encoder (metadata \"encoder\" is " +
                            (meta.contains("encoder") ? meta["encoder"].dump() : "missing") + ")");
    const int version = r.integer<int>("version", 1, 1 << 30);
    if (!r.ok()) return r.error();
    if (version > kEncoderFileVersion)
      return make_error(ErrorCode::unsupported_version,
                        path + ": converted encoder format version " + std::to_string(version) +
                            " is newer than this library's " + std::to_string(kEncoderFileVersion) +
                            "; upgrade supportnlp or convert the folder again");
    const std::string weights = r.string("weights", true);
    if (r.ok() && weights != "f32" && weights != "int8")
      r.fail("weights", "is \"" + weights + "\", expected \"f32\" or \"int8\"");
    const std::string hash = r.string("weights_hash", true);
    if (r.ok() &&
        (hash.size() != 16 || hash.find_first_not_of("0123456789abcdef") != std::string::npos))
      r.fail("weights_hash", "is \"" + hash + "\", expected 16 lowercase hex digits");

    EncoderFile out;
    out.config.folder = path;
    ModelConfig& c = out.config.model;
    const auto m = r.object("model");
    const std::string type = m.string("model_type", true);
    if (r.ok() && type != "bert" && type != "xlm-roberta")
      m.fail("model_type", "is \"" + type + "\", expected \"bert\" or \"xlm-roberta\"");
    c.xlm_roberta = type == "xlm-roberta";
    // The ranges config.json is read with (hf_folder.cpp).
    c.vocab_size = m.integer<int>("vocab_size", 1, 1 << 24);
    c.hidden = m.integer<int>("hidden_size", 1, 1 << 16);
    c.layers = m.integer<int>("num_hidden_layers", 1, 1024);
    c.heads = m.integer<int>("num_attention_heads", 1, 1 << 16);
    c.intermediate = m.integer<int>("intermediate_size", 1, 1 << 18);
    c.max_positions = m.integer<int>("max_position_embeddings", 1, 1 << 20);
    c.type_vocab_size = m.integer<int>("type_vocab_size", 1, 1 << 16);
    c.pad_token_id = m.integer<int>("pad_token_id", 0, (1 << 24) - 1);
    c.layer_norm_eps = static_cast<float>(m.number("layer_norm_eps", 0.0, 1.0));
    if (r.ok() && c.hidden % c.heads != 0)
      m.fail("num_attention_heads", "(" + std::to_string(c.heads) +
                                        ") does not divide hidden_size (" +
                                        std::to_string(c.hidden) + ")");
    if (r.ok() && c.pad_token_id >= c.vocab_size) m.fail("pad_token_id", "is not below vocab_size");
    c.position_offset = c.xlm_roberta ? c.pad_token_id + 1 : 0;
    if (r.ok() && c.max_positions <= c.position_offset + 2)
      m.fail("max_position_embeddings", "leaves no room for a text");

    SentenceConfig& s = out.config.sentence;
    const auto sn = r.object("sentence");
    const std::string pooling = sn.string("pooling", true);
    if (pooling == "mean")
      s.pooling = Pooling::mean;
    else if (pooling == "cls")
      s.pooling = Pooling::cls;
    else if (pooling == "max")
      s.pooling = Pooling::max;
    else if (r.ok())
      sn.fail("pooling", "is \"" + pooling + "\", expected \"mean\", \"cls\" or \"max\"");
    s.normalize = sn.boolean("normalize");
    s.max_seq_length = sn.integer<int>("max_seq_length", 2, 1 << 20);
    if (r.ok() && s.max_seq_length > c.max_positions - c.position_offset)
      sn.fail("max_seq_length", "is " + std::to_string(s.max_seq_length) + ", more than the " +
                                    std::to_string(c.max_positions - c.position_offset) +
                                    " positions the model has");

    TokenizerSource& ts = out.tokenizer_source;
    const auto t = r.object("tokenizer");
    const std::string ttype = t.string("type", true);
    if (r.ok() && ttype != "wordpiece" && ttype != "sentencepiece")
      t.fail("type", "is \"" + ttype + "\", expected \"wordpiece\" or \"sentencepiece\"");
    ts.sentencepiece = ttype == "sentencepiece";
    if (r.ok() && !ts.sentencepiece) {
      WordPieceConfig& w = ts.wordpiece;
      w.normalization.lower_case = t.boolean("lower_case");
      w.normalization.strip_accents = t.boolean("strip_accents");
      w.normalization.chinese_chars = t.boolean("chinese_chars");
      w.unk_token = t.string("unk_token", true);
      w.cls_token = t.string("cls_token", true);
      w.sep_token = t.string("sep_token", true);
      w.pad_token = t.string("pad_token", true);
      w.special_tokens = t.string_list("special_tokens", 0);
      w.max_word_chars = t.integer<std::size_t>("max_word_chars", 0, std::size_t(1) << 30);
      w.source = path + ": tensor '" + kVocabTensor + "'";
    }
    if (!r.ok()) return r.error();
    // The other tokenizer's tensor would be ignored: refuse it as damage.
    if (file.find(ts.sentencepiece ? kVocabTensor : kSentencePieceTensor))
      return corrupt(path, std::string("tensor '") +
                               (ts.sentencepiece ? kVocabTensor : kSentencePieceTensor) +
                               "' does not belong to a " + ttype + " tokenizer");
    auto blob =
        file.require(ts.sentencepiece ? kSentencePieceTensor : kVocabTensor, io::DType::u8, 1);
    if (!blob) return blob.error();
    if (ts.sentencepiece) {
      ts.sentencepiece_model = std::string((*blob)->view());
    } else {
      const std::string_view bytes = (*blob)->view();
      if (!bytes.empty() && bytes.back() != '\n')
        return corrupt(path,
                       std::string("tensor '") + kVocabTensor + "' does not end with a line break");
      ts.wordpiece.vocab = split_vocab_lines(bytes);
    }
    for (const io::Tensor& x : file.tensors())
      if (x.name.rfind("tokenizer.", 0) == 0 && x.name != kVocabTensor &&
          x.name != kSentencePieceTensor)
        return corrupt(path, "unknown tensor '" + x.name + "'");
    auto tokenizer = make_tokenizer(ts);
    if (!tokenizer)
      return make_error(tokenizer.error().code, path + ": " + tokenizer.error().message);
    out.tokenizer = std::move(tokenizer).value();
    if (out.tokenizer->vocab_size() > static_cast<std::size_t>(c.vocab_size))
      return corrupt(path, "the tokenizer has " + std::to_string(out.tokenizer->vocab_size()) +
                               " ids but metadata field 'model.vocab_size' is " +
                               std::to_string(c.vocab_size));
    out.weights_hash = std::strtoull(hash.c_str(), nullptr, 16);

    auto model = BertModel::load(c, std::move(file), mode);
    if (!model) return model.error();
    if (model->stored_int8() != (weights == "int8"))
      return corrupt(path, "metadata field 'weights' is \"" + weights +
                               "\" but tensor 'embeddings.word' is " +
                               (model->stored_int8() ? "i8" : "f32"));
    out.model = std::move(model).value();
    return out;
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, path + ": " + e.what());
  }
}

} // namespace supportnlp::embed::transformer
