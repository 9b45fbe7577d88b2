// TransformerEncoder: the folder's tokenizer, then the Eigen forward pass
// (transformer/bert_model.hpp). No Eigen here.
#include "supportnlp/embed/transformer_encoder.hpp"

#include "cpu/hash.hpp"
#include "embed/transformer/bert_model.hpp"
#include "embed/transformer/encoder_file.hpp"
#include "embed/transformer/hf_folder.hpp"
#include "embed/transformer/safetensors.hpp"
#include "embed/transformer/tokenizer.hpp"
#include "embed/transformer/tokenizer_source.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <sys/stat.h>

namespace supportnlp::embed {

namespace tf = transformer;

struct TransformerEncoder::Impl {
  tf::HfFolder folder;
  tf::TokenizerSource tokenizer_source; // what save() writes
  std::unique_ptr<tf::Tokenizer> tokenizer;
  std::optional<tf::BertModel> model;
  int threads = 1;
  std::uint64_t weights_hash = 0; // of the checkpoint's safetensors
  std::string fingerprint;

  void forward(const std::vector<std::vector<std::int32_t>>& ids, int threads_used,
               float* out) const {
    std::vector<tf::IdSpan> spans;
    spans.reserve(ids.size());
    for (const auto& v : ids)
      spans.push_back({v.data(), v.size()});
    // Always unit length: the Encoder contract.
    model->forward(spans.data(), spans.size(),
                   static_cast<std::size_t>(folder.sentence.max_seq_length),
                   folder.sentence.pooling, true, threads_used, out);
  }
};

namespace {

// FNV-1a over the header and the tensor data, eight bytes a step (a
// byte-wise pass over a 90 MB checkpoint would cost a tenth of a second).
std::uint64_t hash_weights(const tf::SafeTensors& st) {
  std::uint64_t h = cpu::fnv1a(st.header().data(), st.header().size());
  const unsigned char* p = st.data();
  const std::size_t n = st.data_size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, 8);
    h = cpu::fnv1a_step(h, word);
  }
  return cpu::fnv1a(p + i, n - i, h);
}

} // namespace

namespace {

std::string make_fingerprint(const tf::HfFolder& f, std::uint64_t hash, bool int8) {
  const auto& mc = f.model;
  return std::string("transformer/") + (mc.xlm_roberta ? "xlm-roberta" : "bert") + "/" +
         std::to_string(mc.hidden) + "/" + tf::pooling_name(f.sentence.pooling) + "/" +
         std::to_string(f.sentence.max_seq_length) + "/" + tf::weights_hash_hex(hash) + (int8 ? "/int8" : "");
}

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// A converted file (encoder_file.hpp).
Result<std::shared_ptr<TransformerEncoder::Impl>> load_file(const std::string& path,
                                                            std::optional<tf::Pooling> pooling,
                                                            int max_seq_length,
                                                            tf::WeightMode mode) {
  auto file = io::ModelFile::open(path, tf::kEncoderFileKind);
  if (!file) return file.error();
  auto read = tf::read_encoder_file(std::move(file).value(), mode);
  if (!read) return read.error();
  auto impl = std::make_shared<TransformerEncoder::Impl>();
  impl->folder = std::move(read->config);
  impl->tokenizer_source = std::move(read->tokenizer_source);
  impl->tokenizer = std::move(read->tokenizer);
  impl->model = std::move(read->model);
  impl->weights_hash = read->weights_hash;
  if (pooling) impl->folder.sentence.pooling = *pooling;
  if (max_seq_length > 0)
    impl->folder.sentence.max_seq_length =
        std::min(impl->folder.sentence.max_seq_length, max_seq_length);
  return impl;
}

// A Hugging Face / sentence-transformers folder.
Result<std::shared_ptr<TransformerEncoder::Impl>> load_folder(const std::string& folder,
                                                              std::optional<tf::Pooling> pooling,
                                                              int max_seq_length,
                                                              tf::WeightMode mode) {
  auto cfg = tf::read_hf_folder(folder, pooling, max_seq_length);
  if (!cfg) return cfg.error();
  auto impl = std::make_shared<TransformerEncoder::Impl>();
  impl->folder = std::move(cfg).value();

  auto source = tf::read_tokenizer_source(folder);
  if (!source) return source.error();
  impl->tokenizer_source = std::move(source).value();
  auto tok = tf::make_tokenizer(impl->tokenizer_source);
  if (!tok)
    return make_error(tok.error().code, folder +
                                            (!folder.empty() && folder.back() == '/' ? "" : "/") +
                                            tok.error().message);
  impl->tokenizer = std::move(tok).value();
  const auto& mc = impl->folder.model;
  if (impl->tokenizer->vocab_size() > static_cast<std::size_t>(mc.vocab_size))
    return make_error(ErrorCode::corrupt, folder + ": the tokenizer has " +
                                              std::to_string(impl->tokenizer->vocab_size()) +
                                              " ids but config.json's vocab_size is " +
                                              std::to_string(mc.vocab_size));
  // The tokenizer's pad id is not compared with config.json's: texts are
  // packed, never padded, and checkpoints that pair a BERT config with
  // XLM-R's SentencePiece tokenizer (multilingual MiniLM) need not agree.
  auto st = tf::SafeTensors::open(folder + "/model.safetensors");
  if (!st) {
    if (st.error().code == ErrorCode::not_found)
      return make_error(ErrorCode::not_found,
                        folder + "/model.safetensors: file not found (pytorch_model.bin is not "
                                 "read: convert it with safetensors' convert script, "
                                 "docs/encoders.md)");
    return st.error();
  }
  impl->weights_hash = hash_weights(*st);
  auto model = tf::BertModel::load(mc, std::move(st).value(), mode);
  if (!model) return model.error();
  impl->model = std::move(model).value();
  return impl;
}

} // namespace

Result<TransformerEncoder> TransformerEncoder::load(const std::string& path,
                                                    const TransformerEncoderOptions& options) {
  try {
    if (options.threads < 1 || options.threads > 1024)
      return make_error(ErrorCode::invalid_argument, "TransformerEncoderOptions::threads is " +
                                                         std::to_string(options.threads) +
                                                         ", outside [1, 1024]");
    if (options.max_seq_length < 0 || (options.max_seq_length > 0 && options.max_seq_length < 2))
      return make_error(ErrorCode::invalid_argument,
                        "TransformerEncoderOptions::max_seq_length is " +
                            std::to_string(options.max_seq_length) + "; 0 or at least 2");
    std::optional<tf::Pooling> pooling;
    switch (options.pooling) {
    case TransformerPooling::folder:
      break;
    case TransformerPooling::mean:
      pooling = tf::Pooling::mean;
      break;
    case TransformerPooling::cls:
      pooling = tf::Pooling::cls;
      break;
    case TransformerPooling::max:
      pooling = tf::Pooling::max;
      break;
    default:
      return make_error(ErrorCode::invalid_argument,
                        "TransformerEncoderOptions::pooling is invalid");
    }
    const tf::WeightMode mode = options.int8 ? tf::WeightMode::int8 : tf::WeightMode::f32;
    auto impl = is_regular_file(path) ? load_file(path, pooling, options.max_seq_length, mode)
                                      : load_folder(path, pooling, options.max_seq_length, mode);
    if (!impl) return impl.error();
    Impl& m = **impl;
    m.threads = options.threads;
    m.fingerprint = make_fingerprint(m.folder, m.weights_hash, m.model->int8());
    return TransformerEncoder(std::move(impl).value());
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, path + ": " + e.what());
  }
}

Result<void> TransformerEncoder::save(const std::string& path) const {
  try {
    auto writer = tf::encoder_file_writer(impl_->folder, impl_->tokenizer_source, *impl_->model,
                                          impl_->weights_hash);
    if (!writer) return writer.error();
    return writer->save(path);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, path + ": " + e.what());
  }
}

const char* TransformerEncoder::weights() const noexcept {
  return impl_->model->int8() ? "int8" : "f32";
}

int TransformerEncoder::dim() const noexcept {
  return impl_->folder.model.hidden;
}

std::string TransformerEncoder::fingerprint() const {
  return impl_->fingerprint;
}

int TransformerEncoder::max_seq_length() const noexcept {
  return impl_->folder.sentence.max_seq_length;
}

const char* TransformerEncoder::pooling() const noexcept {
  return tf::pooling_name(impl_->folder.sentence.pooling);
}

const char* TransformerEncoder::model_type() const noexcept {
  return impl_->folder.model.xlm_roberta ? "xlm-roberta" : "bert";
}

std::vector<std::int32_t> TransformerEncoder::token_ids(std::string_view text) const {
  return impl_->tokenizer
      ->encode(text, static_cast<std::size_t>(impl_->folder.sentence.max_seq_length))
      .ids;
}

void TransformerEncoder::encode(std::string_view text, float* out) const {
  const auto d = static_cast<std::size_t>(dim());
  try {
    if (text.empty()) {
      std::fill(out, out + d, 0.0f);
      return;
    }
    std::vector<std::vector<std::int32_t>> ids{token_ids(text)};
    impl_->forward(ids, 1, out);
  } catch (...) { // out of memory
    std::fill(out, out + d, 0.0f);
  }
}

void TransformerEncoder::encode_batch(const std::vector<std::string_view>& texts,
                                      float* out) const {
  const auto d = static_cast<std::size_t>(dim());
  try {
    std::vector<std::vector<std::int32_t>> ids(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i)
      if (!texts[i].empty()) ids[i] = token_ids(texts[i]);
    impl_->forward(ids, impl_->threads, out);
  } catch (...) {
    std::fill(out, out + texts.size() * d, 0.0f);
  }
}

void TransformerEncoder::encode_ids(const std::vector<std::vector<std::int32_t>>& ids,
                                    float* out) const {
  impl_->forward(ids, impl_->threads, out);
}

} // namespace supportnlp::embed
