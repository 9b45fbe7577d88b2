// SentencePiece behind the Subwords API. SentencePiece types stay in this
// file; callers see only ids, pieces and Result errors.
#include "supportnlp/text/subwords.hpp"

#include "supportnlp/io/model_file.hpp"
#include "supportnlp/text/utf8.hpp"
#include "text/sentencepiece_check.hpp"
#include "text/utf8_internal.hpp"

#include <nlohmann/json.hpp>
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

namespace supportnlp::text {

struct Subwords::Impl {
  sentencepiece::SentencePieceProcessor processor;
  std::string bytes;
};

namespace {

namespace spu = sentencepiece::util;

// Kind and tensor name of a subword model in a supportnlp model file.
constexpr const char* kSubwordsKind = "subwords";
constexpr const char* kSentencePieceTensor = "sentencepiece";

// SentencePiece logs training progress to stderr; the library must not
// print. Level 3 silences INFO, WARNING and ERROR (only a fatal abort inside
// SentencePiece would still say why).
constexpr const char* kQuietLogLevel = "3";

const std::string& empty_string() {
  static const std::string empty;
  return empty;
}

// Runs `fn` on `text`, repaired to valid UTF-8 first if needed (the common
// valid case costs one validation pass and no copy).
template <class Fn> void with_valid_utf8(std::string_view text, Fn&& fn) {
  if (is_valid_utf8(text)) {
    fn(text);
  } else {
    const std::string repaired = repair_utf8(text);
    fn(std::string_view(repaired));
  }
}

// Length of the whitespace character at text[pos], or 0. Covers the spaces
// SentencePiece's normalizer folds into "▁": ASCII whitespace, NBSP, the
// U+2000..U+200A spaces, U+202F, U+205F and the ideographic space.
std::size_t whitespace_length(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u;
  };
  const unsigned b0 = byte(pos);
  if (b0 == ' ' || b0 == '\t' || b0 == '\n' || b0 == '\r' || b0 == '\f' || b0 == '\v') return 1;
  if (b0 == 0xC2 && byte(pos + 1) == 0xA0) return 2;
  if (b0 == 0xE2 && byte(pos + 1) == 0x80 && (byte(pos + 2) <= 0x8A || byte(pos + 2) == 0xAF))
    return byte(pos + 2) >= 0x80 ? 3 : 0;
  if (b0 == 0xE2 && byte(pos + 1) == 0x81 && byte(pos + 2) == 0x9F) return 3;
  if (b0 == 0xE3 && byte(pos + 1) == 0x80 && byte(pos + 2) == 0x80) return 3;
  return 0;
}

// Smallest vocabulary SentencePiece can build: three meta pieces and one more.
constexpr int kMinVocabSize = 4;
// Longer sentences are skipped by the trainer (SentencePiece's default).
constexpr std::size_t kMaxSentenceBytes = 4192;

// True if `valid` (valid UTF-8) holds a character SentencePiece's normalizer
// keeps: not whitespace, a control or format character, or U+FFFD.
bool has_visible_char(std::string_view valid) {
  for (std::size_t pos = 0; pos < valid.size();) {
    const char32_t c = decode_utf8(valid, pos);
    const bool invisible = c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD || c == 0x1680 ||
                           (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
                           (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF ||
                           c == 0xFFFD;
    if (!invisible) return true;
  }
  return false;
}

// A sentence the trainer can learn from. SentencePiece's unigram trainer
// aborts the whole process (instead of returning an error) when no sentence
// has any character left after normalization, so training checks for at
// least one usable sentence first.
bool usable_sentence(std::string_view valid) {
  return valid.size() <= kMaxSentenceBytes && has_visible_char(valid);
}

constexpr const char* kNoUsableSentence =
    "no usable sentence (every one is blank, only control characters or invalid UTF-8, "
    "or longer than 4192 bytes)";

// Yields in-memory sentences to the trainer, repairing invalid UTF-8.
class VectorSentenceIterator : public sentencepiece::SentenceIterator {
public:
  explicit VectorSentenceIterator(const std::vector<std::string>& sentences)
      : sentences_(sentences) {
    load();
  }
  bool done() const override { return index_ >= sentences_.size(); }
  void Next() override {
    ++index_;
    load();
  }
  const std::string& value() const override { return current_; }
  spu::Status status() const override { return spu::Status(); }

private:
  void load() {
    if (index_ < sentences_.size()) current_ = repair_utf8(sentences_[index_]);
  }
  const std::vector<std::string>& sentences_;
  std::size_t index_ = 0;
  std::string current_;
};

Result<std::unordered_map<std::string, std::string>>
trainer_arguments(const SubwordTrainOptions& o) {
  if (o.vocab_size < kMinVocabSize)
    return make_error(ErrorCode::invalid_argument,
                      "subword training: vocab_size must be at least " +
                          std::to_string(kMinVocabSize) +
                          " (<unk>, <s>, </s> and one piece), got " + std::to_string(o.vocab_size));
  if (o.num_threads < 1)
    return make_error(ErrorCode::invalid_argument,
                      "subword training: num_threads must be positive, got " +
                          std::to_string(o.num_threads));
  if (!(o.character_coverage > 0.0 && o.character_coverage <= 1.0))
    return make_error(ErrorCode::invalid_argument,
                      "subword training: character_coverage must be in (0, 1]");
  if (o.model_type != "unigram" && o.model_type != "bpe" && o.model_type != "word" &&
      o.model_type != "char")
    return make_error(ErrorCode::invalid_argument, "subword training: unknown model_type '" +
                                                       o.model_type +
                                                       "' (expected unigram, bpe, word or char)");
  std::ostringstream coverage;
  coverage << o.character_coverage;
  std::unordered_map<std::string, std::string> args{
      {"vocab_size", std::to_string(o.vocab_size)},
      {"model_type", o.model_type},
      {"character_coverage", coverage.str()},
      {"num_threads", std::to_string(o.num_threads)},
      {"hard_vocab_limit", o.hard_vocab_limit ? "true" : "false"},
      {"minloglevel", kQuietLogLevel},
      {"max_sentence_length", std::to_string(kMaxSentenceBytes)},
  };
  if (o.max_sentences > 0) {
    args["input_sentence_size"] = std::to_string(o.max_sentences);
    args["shuffle_input_sentence"] = "true";
  }
  return args;
}

Error training_error(const spu::Status& status) {
  const std::string message = "subword training failed: " + status.ToString();
  switch (status.code()) {
  case spu::StatusCode::kNotFound:
    return make_error(ErrorCode::not_found, message);
  case spu::StatusCode::kInvalidArgument:
    return make_error(ErrorCode::invalid_argument, message);
  case spu::StatusCode::kPermissionDenied: // also "cannot write the model file"
    return make_error(ErrorCode::io_error, message);
  default:
    break;
  }
  // SentencePiece reports a corpus too small for the vocabulary as an
  // internal error; callers can act on it (lower vocab_size), so say so.
  if (message.find("Vocabulary size") != std::string::npos ||
      message.find("sentences_.empty()") != std::string::npos)
    return make_error(ErrorCode::invalid_data, message);
  return make_error(ErrorCode::internal, message);
}

} // namespace

Result<Subwords> Subwords::parse(std::string_view bytes, std::string_view name) {
  if (bytes.empty())
    return make_error(ErrorCode::corrupt, "'" + std::string(name) + "': subword model is empty");
  // A supportnlp model file (CRC-checked) holding the SentencePiece bytes,
  // or the raw SentencePiece bytes themselves.
  std::string_view sentencepiece_bytes = bytes;
  Result<io::ModelFile> container = io::ModelFile::from_bytes(bytes, kSubwordsKind, name);
  if (container) {
    auto blob = container->require(kSentencePieceTensor, io::DType::u8, 1);
    if (!blob) return blob.error();
    sentencepiece_bytes = blob.value()->view();
  } else if (container.error().code != ErrorCode::bad_magic) {
    return container.error();
  }
  const std::string where = "'" + std::string(name) + "': ";
  if (sentencepiece_bytes.empty())
    return make_error(ErrorCode::corrupt, where + "SentencePiece model has no bytes");
  // Before SentencePiece sees them: it trusts its normalization tables.
  if (auto problem = detail::check_sentencepiece_model(sentencepiece_bytes); !problem.empty())
    return make_error(ErrorCode::corrupt, where + "damaged SentencePiece model: " + problem);
  auto impl = std::make_shared<Impl>();
  impl->bytes.assign(sentencepiece_bytes.data(), sentencepiece_bytes.size());
  sentencepiece::util::Status status;
  try {
    status = impl->processor.LoadFromSerializedProto(impl->bytes);
  } catch (const std::exception& e) {
    // The checks above should leave SentencePiece nothing to throw on; this
    // keeps any damage they miss from leaving the library as an exception.
    return make_error(ErrorCode::corrupt,
                      where + "not a valid SentencePiece model (" + std::string(e.what()) + ")");
  }
  if (!status.ok())
    return make_error(ErrorCode::corrupt,
                      where + "not a valid SentencePiece model (" + status.ToString() + ")");
  if (impl->processor.GetPieceSize() <= 0)
    return make_error(ErrorCode::corrupt, where + "SentencePiece model has no pieces");
  Subwords s;
  s.impl_ = std::move(impl);
  return s;
}

Result<Subwords> Subwords::from_bytes(std::string_view model_bytes) {
  return parse(model_bytes, "<memory>");
}

Result<Subwords> Subwords::load(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec))
    return make_error(ErrorCode::not_found, "subword model '" + path + "' does not exist");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(ErrorCode::io_error,
                      "cannot open subword model '" + path + "': " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return make_error(ErrorCode::io_error, "cannot read subword model '" + path + "'");
  return parse(bytes, path);
}

Result<void> Subwords::save(const std::string& path) const {
  if (!impl_) return make_error(ErrorCode::invalid_argument, "subword model: nothing to save");
  io::ModelWriter writer(kSubwordsKind);
  nlohmann::json meta{{"format", "sentencepiece"}, {"vocab_size", vocab_size()}};
  writer.set_metadata(meta.dump());
  writer.add_blob(kSentencePieceTensor, impl_->bytes);
  return writer.save(path);
}

Result<std::string> Subwords::train(const SubwordTrainOptions& options) {
  if (options.input_files.empty())
    return make_error(ErrorCode::invalid_argument, "subword training: no input files");
  if (options.model_prefix.empty())
    return make_error(ErrorCode::invalid_argument, "subword training: no model_prefix");
  for (const auto& f : options.input_files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(f, ec))
      return make_error(ErrorCode::not_found,
                        "subword training: input file '" + f + "' does not exist");
    if (f.find(',') != std::string::npos)
      return make_error(ErrorCode::invalid_argument,
                        "subword training: input file names may not contain ',': '" + f + "'");
  }
  auto args = trainer_arguments(options);
  if (!args) return args.error();
  bool usable = false;
  for (const auto& f : options.input_files) {
    std::ifstream in(f, std::ios::binary);
    if (!in)
      return make_error(ErrorCode::io_error, "subword training: cannot open input file '" + f +
                                                 "': " + std::strerror(errno));
    for (std::string line; !usable && std::getline(in, line);)
      usable = usable_sentence(is_valid_utf8(line) ? line : repair_utf8(line));
    if (usable) break;
  }
  if (!usable)
    return make_error(ErrorCode::invalid_data,
                      std::string("subword training: input files have ") + kNoUsableSentence);
  std::string inputs;
  for (const auto& f : options.input_files)
    inputs += (inputs.empty() ? "" : ",") + f;
  args.value()["input"] = inputs;
  args.value()["model_prefix"] = options.model_prefix;
  const auto status = sentencepiece::SentencePieceTrainer::Train(args.value());
  if (!status.ok()) return training_error(status);
  return options.model_prefix + ".model";
}

Result<Subwords> Subwords::train_from_sentences(const std::vector<std::string>& sentences,
                                                const SubwordTrainOptions& options) {
  if (sentences.empty())
    return make_error(ErrorCode::invalid_data, "subword training: no sentences");
  auto args = trainer_arguments(options);
  if (!args) return args.error();
  const bool usable = std::any_of(sentences.begin(), sentences.end(), [](const std::string& s) {
    return usable_sentence(is_valid_utf8(s) ? s : repair_utf8(s));
  });
  if (!usable)
    return make_error(ErrorCode::invalid_data,
                      std::string("subword training: ") + kNoUsableSentence);
  VectorSentenceIterator iterator(sentences);
  std::string serialized;
  const auto status =
      sentencepiece::SentencePieceTrainer::Train(args.value(), &iterator, &serialized);
  if (!status.ok()) return training_error(status);
  return from_bytes(serialized);
}

void Subwords::encode(std::string_view text, std::vector<int>& ids) const {
  ids.clear();
  if (!impl_ || text.empty()) return;
  with_valid_utf8(text, [&](std::string_view valid) {
    if (!impl_->processor.Encode(valid, &ids).ok()) ids.clear();
  });
}

std::vector<int> Subwords::encode(std::string_view text) const {
  std::vector<int> ids;
  encode(text, ids);
  return ids;
}

void Subwords::encode_with_offsets(std::string_view text, std::vector<SubwordPiece>& pieces) const {
  pieces.clear();
  if (!impl_ || text.empty()) return;
  constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (text.size() > kMax) text = text.substr(0, kMax);
  // SentencePiece reports spans in the string it was given; when that is a
  // repaired copy, map them back through the repair's offset table.
  std::string repaired;
  std::vector<std::uint32_t> to_original;
  const bool was_repaired =
      !is_valid_utf8(text) && detail::repair_utf8_with_offsets(text, repaired, &to_original);
  const std::string_view input = was_repaired ? std::string_view(repaired) : text;
  sentencepiece::ImmutableSentencePieceText spt;
  if (!impl_->processor.Encode(input, spt.mutable_proto()).ok()) return;
  const std::size_t n = spt.pieces_size();
  pieces.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto piece = spt.pieces(static_cast<int>(i));
    std::size_t b = std::min<std::size_t>(piece.begin(), input.size());
    const std::size_t e =
        std::min<std::size_t>(std::max<std::size_t>(piece.end(), b), input.size());
    while (b < e) {
      std::size_t w = whitespace_length(input, b);
      // SentencePiece's default normalizer drops U+FFFD (from repaired bytes)
      // and counts it into the next piece's span; it belongs to no piece.
      if (w == 0 && input.compare(b, 3, "\xEF\xBF\xBD") == 0) w = 3;
      if (w == 0 || b + w > e) break;
      b += w;
    }
    SubwordPiece out;
    out.id = static_cast<int>(piece.id());
    out.begin = static_cast<std::uint32_t>(was_repaired ? to_original[b] : b);
    out.end = static_cast<std::uint32_t>(was_repaired ? to_original[e] : e);
    pieces.push_back(out);
  }
}

std::vector<std::string> Subwords::encode_pieces(std::string_view text) const {
  std::vector<std::string> pieces;
  if (!impl_ || text.empty()) return pieces;
  with_valid_utf8(text, [&](std::string_view valid) {
    if (!impl_->processor.Encode(valid, &pieces).ok()) pieces.clear();
  });
  return pieces;
}

std::string Subwords::decode(const std::vector<int>& ids) const {
  std::string text;
  if (!impl_) return text;
  const int size = impl_->processor.GetPieceSize();
  bool all_valid = true;
  for (int id : ids)
    all_valid = all_valid && id >= 0 && id < size;
  if (all_valid) {
    if (!impl_->processor.Decode(ids, &text).ok()) text.clear();
    return text;
  }
  std::vector<int> valid;
  valid.reserve(ids.size());
  for (int id : ids)
    if (id >= 0 && id < size) valid.push_back(id);
  if (!impl_->processor.Decode(valid, &text).ok()) text.clear();
  return text;
}

int Subwords::vocab_size() const {
  return impl_ ? impl_->processor.GetPieceSize() : 0;
}

std::string Subwords::id_to_piece(int id) const {
  if (!impl_ || id < 0 || id >= impl_->processor.GetPieceSize()) return {};
  return impl_->processor.IdToPiece(id);
}

int Subwords::piece_to_id(std::string_view piece) const {
  if (!impl_) return -1;
  return impl_->processor.PieceToId(piece);
}

int Subwords::unk_id() const {
  return impl_ ? impl_->processor.unk_id() : -1;
}

const std::string& Subwords::model_bytes() const {
  return impl_ ? impl_->bytes : empty_string();
}

} // namespace supportnlp::text
