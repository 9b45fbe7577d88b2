#pragma once
/// \file
/// Options of the sentiment models, apart from the models themselves, so a
/// part that needs the options (the learned model's input builder, its NB-LR
/// view, the CLI's option parsing) does not include a model header:
/// LexiconOptions (the lexicon analyzer's rules and thresholds), and the
/// learned model's SentimentInputOptions, SentimentNbOptions and
/// SentimentTrainOptions (docs/sentiment.md gives how each default was
/// chosen). Plain structs with documented defaults; no state, no threads.

#include "supportnlp/features/ngrams.hpp"
#include "supportnlp/models/linear/classifier.hpp"

namespace supportnlp::models {

/// Rules and thresholds of the lexicon analyzer. The defaults were tuned on
/// the training split of the airline support tweets (see docs/sentiment.md);
/// change them only with a labelled set of your own.
struct LexiconOptions {
  /// Scores at or below this are negative. Support text leans negative: a
  /// weak negative signal usually means a complaint, hence the asymmetry.
  float negative_threshold = -0.02f;
  /// Scores at or above this are positive.
  float positive_threshold = 0.40f;
  /// Valence of a word in a negation's scope is multiplied by this (unless
  /// the lexicon gives the word an explicit negated valence).
  float negation_factor = -0.4f;
  /// How many tokens after a negator it stays in effect (punctuation ends it).
  int negation_scope = 3;
  /// Valence of a negator whose scope negated no lexicon entry: in support
  /// text "can't get through" or "did not show up" is a complaint.
  float bare_negation = -1.0f;
  /// Weight of evidence before a contrast word ("but", "however").
  float before_contrast = 0.5f;
  /// Weight of evidence after a contrast word.
  float after_contrast = 1.4f;
  /// Multiplier for a lexicon word written in capitals (in mixed-case text).
  float caps_factor = 1.3f;
  /// Added magnitude per '!' (at most 4 counted) in the text's direction.
  float exclamation_boost = 0.4f;
  /// Squashing constant: score = sum / sqrt(sum^2 + alpha).
  float alpha = 12.0f;
  /// Collect evidence spans (off saves a little time).
  bool explain = true;
};

/// How the text is rewritten before the classifier sees it (stored in the
/// model file). Tweets and chat messages carry meaning in hashtags and emoji
/// that hashed n-grams would otherwise reduce to their entity kind.
///
/// Mention names and negated words are on by default (chosen with the NB-LR
/// view by 5-fold cross-validation on airline train, docs/sentiment.md);
/// hashtag words and emoji names made no measurable difference there and
/// stay off.
struct SentimentInputOptions {
  /// Add the words of each hashtag ("#NeverAgain" -> "never again").
  bool hashtag_words = false;
  /// Add one word per @mention naming who was mentioned ("@united"). Off:
  /// every mention is the same entity token.
  bool mention_names = true;
  /// Add one word per emoji naming which emoji it is, so emoji outside the
  /// lexicon can be learned.
  bool emoji_names = false;
  /// Add a negated copy ("zzneg" + word) of each word within three words
  /// after a negator ("not", "no", "never", "n't", ...; punctuation ends the
  /// scope), so "not happy" and "happy" become different features.
  bool negation_words = true;
  /// Name the marker words with four or five letters ("zqs3") instead of
  /// the descriptive names ("zzlexscore3"). The markers carry the same
  /// information; their character n-grams, which say nothing the marker
  /// itself does not, are then fewer: about 60% of the characters hashed per
  /// airline tweet came from marker words. Files with it on are
  /// sentiment-section version 3 (libraries that do not know it refuse them).
  bool short_markers = false;
};

/// The second, NB-LR view of the learned model: a multinomial logistic
/// regression over binary hashed n-grams of the same classifier input, each
/// scaled per class by its naive-Bayes log-count ratio (Wang & Manning 2012).
/// Its probabilities are averaged with the classifier's (a share below 1
/// costs the classifier's tokenization and feature extraction per text as
/// well). Stored in the model file. The defaults were chosen by 5-fold
/// cross-validation on airline train (never its test split), at two seeds
/// and two fold assignments: the NB-LR view alone (share 1) against the 50/50
/// average scored +0.13, +0.27, +0.20 and -0.14 points of accuracy and
/// +0.002 to +0.005 macro-F1 (docs/sentiment.md); both beat the classifier
/// alone by 0.5-0.9 points.
struct SentimentNbOptions {
  /// Share of the NB-LR view in the averaged probabilities, in [0, 1];
  /// 0 = no second view (the classifier alone), 1 (default) = the NB-LR view
  /// alone (the classifier is not scored at inference).
  double weight = 1.0;
  /// Its features (binary presence). Default: word 1-3-grams and character
  /// 2-5-grams within words, 2^20 buckets.
  features::NgramOptions features = default_features();
  /// Laplace smoothing of the class counts behind the ratios.
  double alpha = 1.0;
  /// L2 penalty (per occurrence of a feature in a training text).
  double l2 = 1e-4;
  /// Passes of AdaGrad over the training data (few: more overfit in
  /// cross-validation).
  int epochs = 3;
  /// AdaGrad base learning rate.
  double learning_rate = 0.1;
  /// 0: plain likelihood; 1: classes weighted to equal total weight (0.3
  /// lifts the minority classes' F1 a little at the same accuracy).
  double class_balance = 0.3;
  /// Fits with different shufflings whose weights are averaged (training
  /// time grows with it; inference cost does not). One fit's accuracy
  /// depends on its shuffling by a few tenths of a point.
  int bags = 5;
  /// Temperature scaling of the view's logits (default on): the temperature
  /// minimising the negative log-likelihood of softmax(logits / T) on
  /// held-out texts is stored with the view and applied at prediction (it
  /// never changes which class is most probable). The held-out texts are the
  /// validation data given to train(), else a stratified
  /// classifier.validation_fraction of the training data (the same texts the
  /// classifier holds out), scored by a view trained on the rest; the stored
  /// view is then trained on all the training data as without calibration,
  /// so that case costs one more fit of the view. Off: temperature 1.
  bool calibrate = true;

  /// The default features of the NB-LR view.
  static features::NgramOptions default_features() {
    features::NgramOptions f;
    f.buckets = 1u << 20;
    f.word_min_n = 1;
    f.word_max_n = 3;
    f.char_min_n = 2;
    f.char_max_n = 5;
    return f;
  }
};

/// How to train a sentiment model.
struct SentimentTrainOptions {
  /// The classifier's options; sentiment's defaults differ from intent's: no
  /// out-of-scope label, word 1-3-grams and character 2-5-grams, C = 0.5
  /// (chosen among a few settings on a held-out fifth of the airline
  /// training split, never on its test split).
  ClassifierTrainOptions classifier = default_classifier();
  /// Lexicon rules used for the features (stored implicitly: loading uses
  /// the defaults, so change them only for experiments).
  LexiconOptions lexicon = {};
  /// Text rewriting before the classifier (stored in the model).
  SentimentInputOptions input = {};
  /// Stacking: the training data is cut into this many stratified folds; a
  /// classifier trained on all but one fold scores the held-out fold, and a
  /// small multinomial logistic regression is fitted on those out-of-fold
  /// scores plus the lexicon analyzer's signals (score, positive/negative/
  /// negated evidence, emoji, contrast, its label). The final classifier is
  /// then trained on all the data. Costs folds + 1 classifier trainings.
  /// 0 or 1: no stacking (the classifier's calibrated output is the answer).
  /// Off by default: it did not raise accuracy in cross-validation on
  /// airline train (it raised macro-F1 by about 0.007).
  int stack_folds = 0;
  /// L2 penalty of the stacking regression (on standardised features).
  double stack_l2 = 1e-3;
  /// Class weighting of the stacking regression: 0 = none, 1 = classes
  /// weighted to equal total weight (favours macro-F1). Default 0.3: in
  /// 5-fold cross-validation on airline train, +0.006 macro-F1 over 0 at the
  /// same accuracy.
  double stack_class_balance = 0.3;
  /// The NB-LR view (on by default, alone; off when nb.weight is 0). It is
  /// trained on all of `train`; it cannot be combined with stacking, so set
  /// nb.weight = 0 when stack_folds >= 2.
  SentimentNbOptions nb = {};

  /// The default classifier options for sentiment.
  static ClassifierTrainOptions default_classifier() {
    ClassifierTrainOptions o;
    o.oos_label.clear();
    o.c = 0.5;
    o.features.word_max_n = 3;
    o.features.char_min_n = 2;
    o.features.char_max_n = 5;
    return o;
  }
};

} // namespace supportnlp::models
