// Reading a Hugging Face / sentence-transformers folder's configuration
// (hf_folder.hpp).
#include "embed/transformer/hf_folder.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace supportnlp::embed::transformer {
namespace {

using nlohmann::json;

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Result<json> read_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!exists(path)) return make_error(ErrorCode::not_found, path + ": file not found");
    return make_error(ErrorCode::io_error, path + ": cannot be read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  json j = json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return make_error(ErrorCode::parse_error, path + ": not valid JSON");
  return j;
}

// Field reads that name the file and the field, keeping the first error.
class Fields {
public:
  Fields(const json& j, std::string file) : j_(j), file_(std::move(file)) {
    if (!j.is_object()) fail("", "is not a JSON object");
  }
  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }
  void fail(const std::string& key, const std::string& problem,
            ErrorCode code = ErrorCode::invalid_data) {
    if (ok())
      error_ = make_error(code, file_ + (key.empty() ? ": " : ": field '" + key + "' ") + problem);
  }
  bool has(const char* key) const { return ok() && j_.contains(key) && !j_[key].is_null(); }
  int integer(const char* key, int lo, int hi, std::optional<int> fallback = std::nullopt) {
    if (!has(key)) {
      if (!fallback) fail(key, "is missing");
      return fallback.value_or(lo);
    }
    const json& v = j_[key];
    if (!v.is_number_integer()) {
      fail(key, "is not an integer");
      return lo;
    }
    const auto x = v.get<long long>();
    if (x < lo || x > hi) {
      fail(key, "is " + std::to_string(x) + ", outside [" + std::to_string(lo) + ", " +
                    std::to_string(hi) + "]");
      return lo;
    }
    return static_cast<int>(x);
  }
  double number(const char* key, double lo, double hi, double fallback) {
    if (!has(key)) return fallback;
    const json& v = j_[key];
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo ||
        v.get<double>() > hi) {
      fail(key, "is not a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
      return fallback;
    }
    return v.get<double>();
  }
  std::string string(const char* key) {
    if (!has(key)) {
      fail(key, "is missing");
      return {};
    }
    if (!j_[key].is_string()) {
      fail(key, "is not a string");
      return {};
    }
    return j_[key].get<std::string>();
  }
  bool boolean(const char* key) {
    if (!has(key)) return false;
    if (!j_[key].is_boolean()) {
      fail(key, "is not true or false");
      return false;
    }
    return j_[key].get<bool>();
  }

private:
  const json& j_;
  std::string file_;
  std::optional<Error> error_;
};

Result<ModelConfig> read_config(const std::string& folder) {
  const std::string path = folder + "/config.json";
  auto j = read_json(path);
  if (!j) return j.error();
  Fields f(*j, path);
  ModelConfig c;
  const std::string type = f.string("model_type");
  if (f.ok() && type != "bert" && type != "xlm-roberta")
    f.fail("model_type", "is '" + type +
                             "'; supported: bert, xlm-roberta (BERT, MiniLM, BGE, "
                             "E5, multilingual MiniLM and E5)");
  c.xlm_roberta = type == "xlm-roberta";
  c.vocab_size = f.integer("vocab_size", 1, 1 << 24);
  c.hidden = f.integer("hidden_size", 1, 1 << 16);
  c.layers = f.integer("num_hidden_layers", 1, 1024);
  c.heads = f.integer("num_attention_heads", 1, 1 << 16);
  c.intermediate = f.integer("intermediate_size", 1, 1 << 18);
  c.max_positions = f.integer("max_position_embeddings", 1, 1 << 20);
  c.type_vocab_size = f.integer("type_vocab_size", 1, 1 << 16, 2);
  c.pad_token_id = f.integer("pad_token_id", 0, (1 << 24) - 1, c.xlm_roberta ? 1 : 0);
  c.layer_norm_eps = static_cast<float>(f.number("layer_norm_eps", 0.0, 1.0, 1e-12));
  if (f.has("hidden_act")) {
    const std::string act = f.string("hidden_act");
    // transformers' "gelu" is the exact erf form; the tanh approximation
    // ("gelu_new", "gelu_pytorch_tanh") would give other vectors.
    if (f.ok() && act != "gelu")
      f.fail("hidden_act", "is '" + act + "'; only 'gelu' (exact erf) is supported");
  }
  if (f.has("position_embedding_type")) {
    const std::string pos = f.string("position_embedding_type");
    if (f.ok() && pos != "absolute")
      f.fail("position_embedding_type", "is '" + pos + "'; only 'absolute' is supported");
  }
  if (f.has("is_decoder") && f.boolean("is_decoder"))
    f.fail("is_decoder", "is true; only encoders are supported");
  if (f.ok() && c.hidden % c.heads != 0)
    f.fail("num_attention_heads",
           "(" + std::to_string(c.heads) + ") does not divide hidden_size (" +
               std::to_string(c.hidden) + ")",
           ErrorCode::corrupt);
  if (f.ok() && c.pad_token_id >= c.vocab_size)
    f.fail("pad_token_id", "is not below vocab_size", ErrorCode::corrupt);
  c.position_offset = c.xlm_roberta ? c.pad_token_id + 1 : 0;
  if (f.ok() && c.max_positions <= c.position_offset + 2)
    f.fail("max_position_embeddings", "leaves no room for a text", ErrorCode::corrupt);
  if (!f.ok()) return f.error();
  return c;
}

// modules.json and the pooling config.
Result<SentenceConfig> read_modules(const std::string& folder, const ModelConfig& model) {
  const std::string path = folder + "/modules.json";
  auto j = read_json(path);
  if (!j) {
    if (j.error().code == ErrorCode::not_found)
      return make_error(ErrorCode::not_found,
                        path + ": file not found; it names the pooling of a sentence-transformers "
                               "model (for a plain transformers checkpoint, choose the pooling "
                               "in the options)");
    return j.error();
  }
  if (!j->is_array() || j->empty())
    return make_error(ErrorCode::invalid_data, path + ": not a non-empty JSON array of modules");
  SentenceConfig s;
  std::string pooling_path;
  for (std::size_t i = 0; i < j->size(); ++i) {
    const std::string where = path + ": module " + std::to_string(i);
    const json& m = (*j)[i];
    if (!m.is_object() || !m.contains("type") || !m["type"].is_string())
      return make_error(ErrorCode::invalid_data,
                        where + ": field 'type' is missing or not a string");
    const std::string type = m["type"].get<std::string>();
    const std::string mpath =
        m.contains("path") && m["path"].is_string() ? m["path"].get<std::string>() : std::string();
    const auto ends = [&](const char* suffix) {
      const std::string s = std::string(".") + suffix;
      return type.size() >= s.size() && type.compare(type.size() - s.size(), s.size(), s) == 0;
    };
    if (i == 0) {
      if (!ends("Transformer"))
        return make_error(ErrorCode::invalid_data, where + ": field 'type' is '" + type +
                                                       "'; the first module must be "
                                                       "sentence_transformers.models.Transformer");
      if (!mpath.empty())
        return make_error(ErrorCode::invalid_data, where + ": field 'path' is '" + mpath +
                                                       "'; the transformer must be in "
                                                       "the folder itself");
    } else if (ends("Pooling") && pooling_path.empty() && !s.normalize) {
      if (mpath.empty() || mpath.find("..") != std::string::npos)
        return make_error(ErrorCode::invalid_data, where + ": field 'path' is missing or invalid");
      pooling_path = mpath;
    } else if (ends("Normalize") && !pooling_path.empty() && !s.normalize) {
      s.normalize = true;
    } else {
      return make_error(ErrorCode::invalid_data,
                        where + ": module type '" + type +
                            "' is not supported here (supported: Transformer, then Pooling, then "
                            "optionally Normalize)");
    }
  }
  if (pooling_path.empty())
    return make_error(ErrorCode::invalid_data,
                      path + ": no sentence_transformers.models.Pooling module");

  const std::string ppath = folder + "/" + pooling_path + "/config.json";
  auto pj = read_json(ppath);
  if (!pj) return pj.error();
  Fields f(*pj, ppath);
  if (f.has("word_embedding_dimension") &&
      f.integer("word_embedding_dimension", 1, 1 << 16) != model.hidden && f.ok())
    f.fail("word_embedding_dimension",
           "differs from config.json's hidden_size (" + std::to_string(model.hidden) + ")",
           ErrorCode::corrupt);
  int modes = 0;
  if (f.boolean("pooling_mode_mean_tokens")) s.pooling = Pooling::mean, ++modes;
  if (f.boolean("pooling_mode_cls_token")) s.pooling = Pooling::cls, ++modes;
  if (f.boolean("pooling_mode_max_tokens")) s.pooling = Pooling::max, ++modes;
  for (const char* other : {"pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens",
                            "pooling_mode_lasttoken"})
    if (f.boolean(other)) f.fail(other, "is true; only mean, CLS and max pooling are supported");
  if (f.ok() && modes != 1)
    f.fail("", modes == 0 ? "sets no pooling mode (pooling_mode_mean_tokens, "
                            "pooling_mode_cls_token or pooling_mode_max_tokens)"
                          : "sets several pooling modes; only one at a time is supported");
  if (!f.ok()) return f.error();
  return s;
}

} // namespace

const char* pooling_name(Pooling p) noexcept {
  switch (p) {
  case Pooling::mean:
    return "mean";
  case Pooling::cls:
    return "cls";
  case Pooling::max:
    return "max";
  }
  return "mean";
}

Result<HfFolder> read_hf_folder(const std::string& folder, std::optional<Pooling> pooling,
                                int max_seq_length) {
  try {
    HfFolder out;
    out.folder = folder;
    auto model = read_config(folder);
    if (!model) return model.error();
    out.model = *model;
    if (pooling) {
      out.sentence.pooling = *pooling;
      if (exists(folder + "/modules.json")) {
        auto s = read_modules(folder, out.model);
        if (s) out.sentence.normalize = s->normalize;
      }
    } else {
      auto s = read_modules(folder, out.model);
      if (!s) return s.error();
      out.sentence = *s;
    }
    // The longest text the position table allows.
    const int positions = out.model.max_positions - out.model.position_offset;
    int max_len = positions;
    const std::string sbert = folder + "/sentence_bert_config.json";
    if (exists(sbert)) {
      auto j = read_json(sbert);
      if (!j) return j.error();
      Fields f(*j, sbert);
      max_len = f.integer("max_seq_length", 2, 1 << 20, positions);
      if (f.ok() && max_len > positions)
        f.fail("max_seq_length",
               "is " + std::to_string(max_len) + ", more than the " + std::to_string(positions) +
                   " positions config.json's "
                   "max_position_embeddings allows",
               ErrorCode::corrupt);
      if (!f.ok()) return f.error();
    }
    if (max_seq_length > 0) max_len = std::min(max_len, std::max(max_seq_length, 2));
    out.sentence.max_seq_length = max_len;
    return out;
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, folder + ": " + e.what());
  }
}

} // namespace supportnlp::embed::transformer
