// The face every sentiment model shares: label and evidence names, the
// SentimentScorer conveniences, and load_sentiment(), which picks the
// implementation by the kind recorded in the model file.
#include "supportnlp/models/sentiment/scorer.hpp"

#include "supportnlp/io/model_file.hpp"
#include "supportnlp/models/sentiment/sentiment.hpp"
#include "supportnlp/models/sentiment/sentiment_model.hpp"

namespace supportnlp::models {

const char* to_string(SentimentLabel label) noexcept {
  switch (label) {
  case SentimentLabel::negative:
    return "negative";
  case SentimentLabel::neutral:
    return "neutral";
  case SentimentLabel::positive:
    return "positive";
  }
  return "neutral";
}

std::optional<SentimentLabel> parse_sentiment_label(std::string_view name) noexcept {
  auto equals = [&](std::string_view want) {
    if (name.size() != want.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != want[i]) return false;
    }
    return true;
  };
  if (equals("negative")) return SentimentLabel::negative;
  if (equals("neutral")) return SentimentLabel::neutral;
  if (equals("positive")) return SentimentLabel::positive;
  return std::nullopt;
}

const char* to_string(EvidenceKind kind) noexcept {
  switch (kind) {
  case EvidenceKind::word:
    return "word";
  case EvidenceKind::phrase:
    return "phrase";
  case EvidenceKind::emoji:
    return "emoji";
  case EvidenceKind::emphasis:
    return "emphasis";
  }
  return "word";
}

bool SentimentScorer::covers_language(std::string_view code) const noexcept {
  for (const auto& c : languages())
    if (c == code) return true;
  return false;
}

SentimentResult SentimentScorer::analyze(std::string_view text) const {
  SentimentResult out;
  analyze(text, out);
  return out;
}

SentimentResult SentimentScorer::analyze(std::string_view text,
                                         const text::TokenizedText& tokens) const {
  SentimentResult out;
  analyze(text, tokens, out);
  return out;
}

Result<std::shared_ptr<const SentimentScorer>> load_sentiment(const std::string& path) {
  if (path.empty())
    return std::shared_ptr<const SentimentScorer>(std::make_shared<LexiconSentiment>());
  // The file is opened and validated once, here; the loader of its kind
  // takes the opened file.
  auto file = io::ModelFile::open(path);
  if (!file) return file.error();
  const std::string kind = file->kind();
  if (kind == "sentiment") {
    auto model = SentimentModel::load(std::move(file.value()));
    if (!model) return model.error();
    return std::shared_ptr<const SentimentScorer>(
        std::make_shared<SentimentModel>(std::move(model).value()));
  }
  return make_error(ErrorCode::wrong_kind, path + ": model kind '" + kind +
                                               "' is not a sentiment model (sentiment kinds: "
                                               "sentiment)");
}

} // namespace supportnlp::models
