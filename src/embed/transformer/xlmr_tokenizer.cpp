// XLM-RoBERTa's tokenizer: SentencePiece (through text::Subwords) with
// fairseq's ids, as Hugging Face's XLMRobertaTokenizer. fairseq put its own
// four specials first (<s> 0, <pad> 1, </s> 2, <unk> 3) and shifted every
// SentencePiece id by one; SentencePiece's <unk> (id 0) maps to fairseq's
// <unk>, and <mask> comes after the last piece.
#include "embed/transformer/encoding_util.hpp"
#include "embed/transformer/special_tokens.hpp"
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

// SentencePiece splits at whitespace before it segments, so the pieces of a
// text cut at a space start with the pieces of the whole text. encode() cuts
// a long text there first: this many bytes per piece wanted, at least.
constexpr std::size_t kBytesPerPieceCut = 32;
constexpr std::size_t kMinCut = 4096;

class XlmrTokenizer final : public Tokenizer {
public:
  explicit XlmrTokenizer(text::Subwords subwords) : subwords_(std::move(subwords)) {
    // The specials Hugging Face matches in the text, with their fairseq ids.
    specials_.add("<s>", kBos);
    specials_.add("<pad>", kPad);
    specials_.add("</s>", kEos);
    specials_.add("<unk>", kUnk);
    specials_.add("<mask>", mask_id());
  }

  Encoding encode(std::string_view text, std::size_t max_length) const override {
    Encoding out;
    const std::size_t budget = piece_budget(max_length);
    if (text.size() > UINT32_MAX) text = text.substr(0, UINT32_MAX);
    push(out, kBos, 0, 0);
    // Text between special tokens goes to SentencePiece one stretch at a time.
    std::size_t from = 0;
    for (std::size_t pos = 0; pos < text.size() && out.ids.size() - 1 < budget;) {
      std::int32_t id = 0;
      if (const std::size_t len = specials_.match(text, pos, id)) {
        encode_stretch(text, from, pos, budget, out);
        push(out, id, static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + len));
        pos += len;
        from = pos;
      } else {
        ++pos;
      }
    }
    if (out.ids.size() - 1 < budget) encode_stretch(text, from, text.size(), budget, out);
    close_encoding(out, budget, kEos);
    return out;
  }
  std::int32_t pad_id() const override { return kPad; }
  // The shifted pieces, then <mask>.
  std::size_t vocab_size() const override {
    return static_cast<std::size_t>(subwords_.vocab_size()) + kFairseqOffset + 1;
  }

private:
  std::int32_t mask_id() const { return static_cast<std::int32_t>(vocab_size()) - 1; }

  // Appends the ids of text[from, to) until `out` holds budget + 1 ids (or
  // more: the caller truncates).
  void encode_stretch(std::string_view text, std::size_t from, std::size_t to, std::size_t budget,
                      Encoding& out) const {
    if (from >= to) return;
    const std::size_t wanted = budget + 1 - std::min(budget + 1, out.ids.size());
    std::string_view stretch = text.substr(from, to - from);
    thread_local std::vector<text::SubwordPiece> pieces;
    const std::size_t cut_at = std::max(kMinCut, wanted * kBytesPerPieceCut);
    if (stretch.size() > cut_at) {
      const std::size_t space = stretch.find(' ', cut_at);
      if (space != std::string_view::npos) {
        subwords_.encode_with_offsets(stretch.substr(0, space), pieces);
        if (pieces.size() < wanted) subwords_.encode_with_offsets(stretch, pieces);
      } else {
        subwords_.encode_with_offsets(stretch, pieces);
      }
    } else {
      subwords_.encode_with_offsets(stretch, pieces);
    }
    const int unk = subwords_.unk_id();
    const std::size_t n = std::min(wanted, pieces.size());
    for (std::size_t i = 0; i < n; ++i) {
      const auto& p = pieces[i];
      push(out, p.id == unk ? kUnk : static_cast<std::int32_t>(p.id) + kFairseqOffset,
           static_cast<std::uint32_t>(from + p.begin), static_cast<std::uint32_t>(from + p.end));
    }
  }

  text::Subwords subwords_;
  SpecialTokens specials_;
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
