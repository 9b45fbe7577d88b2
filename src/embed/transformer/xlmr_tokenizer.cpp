// XLM-RoBERTa's tokenizer: SentencePiece (through text::Subwords) with
// fairseq's ids, as Hugging Face's XLMRobertaTokenizer. fairseq put its own
// four specials first (<s> 0, <pad> 1, </s> 2, <unk> 3) and shifted every
// SentencePiece id by one; SentencePiece's <unk> (id 0) maps to fairseq's
// <unk>, and <mask> comes after the last piece.
#include "embed/transformer/tokenizer.hpp"

#include "supportnlp/text/subwords.hpp"

#include <algorithm>

namespace supportnlp::embed::transformer {
namespace {

constexpr std::int32_t kBos = 0; // <s>
constexpr std::int32_t kPad = 1; // <pad>
constexpr std::int32_t kEos = 2; // </s>
constexpr std::int32_t kUnk = 3; // <unk>
constexpr std::int32_t kFairseqOffset = 1;

class XlmrTokenizer final : public Tokenizer {
public:
  explicit XlmrTokenizer(text::Subwords subwords) : subwords_(std::move(subwords)) {}

  Encoding encode(std::string_view text, std::size_t max_length) const override {
    Encoding out;
    const std::size_t budget = std::max<std::size_t>(max_length, 2) - 2;
    std::vector<text::SubwordPiece> pieces;
    subwords_.encode_with_offsets(text, pieces);
    const std::size_t n = std::min(budget, pieces.size());
    out.ids.reserve(n + 2);
    out.begin.reserve(n + 2);
    out.end.reserve(n + 2);
    out.ids.push_back(kBos);
    out.begin.push_back(0);
    out.end.push_back(0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& p = pieces[i];
      const int unk = subwords_.unk_id();
      out.ids.push_back(p.id == unk ? kUnk : static_cast<std::int32_t>(p.id) + kFairseqOffset);
      out.begin.push_back(p.begin);
      out.end.push_back(p.end);
    }
    out.ids.push_back(kEos);
    out.begin.push_back(0);
    out.end.push_back(0);
    return out;
  }
  std::int32_t pad_id() const override { return kPad; }
  // The shifted pieces, then <mask>.
  std::size_t vocab_size() const override {
    return static_cast<std::size_t>(subwords_.vocab_size()) + kFairseqOffset + 1;
  }

private:
  text::Subwords subwords_;
};

} // namespace

Result<std::unique_ptr<Tokenizer>> xlmr_from_sentencepiece(std::string_view model_bytes) {
  auto subwords = text::Subwords::from_bytes(model_bytes);
  if (!subwords)
    return make_error(subwords.error().code,
                      "sentencepiece.bpe.model: " + subwords.error().message);
  if (subwords->unk_id() != 0)
    return make_error(ErrorCode::invalid_data,
                      "sentencepiece.bpe.model: <unk> has id " +
                          std::to_string(subwords->unk_id()) +
                          ", XLM-R's id mapping needs it at 0 (as in XLM-R's own model)");
  std::unique_ptr<Tokenizer> t = std::make_unique<XlmrTokenizer>(std::move(subwords.value()));
  return t;
}

} // namespace supportnlp::embed::transformer
