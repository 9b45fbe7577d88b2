#pragma once
/// \file
/// Topic discovery: what a batch of tickets is about, without being told how
/// many topics there are. Typical input is the tickets the intent model
/// leaves out of scope or unsure ("what are customers writing about that we
/// have no queue for?").
///
/// Method (docs/topics.md):
///  1. Each text is encoded with the caller's embed::Encoder (unit vectors).
///  2. HDBSCAN on a k-nearest-neighbour graph: the core distance of a ticket
///     is the cosine distance to its `min_samples`-th neighbour; edges of
///     the kNN graph weigh the mutual reachability distance; their minimum
///     spanning forest is the single-linkage hierarchy, condensed with
///     `min_cluster_size`, and the most stable clusters (excess of mass) are
///     the topics. Tickets in no stable cluster go to the outlier bucket.
///     The neighbours come from DenseIndex::search_batch (exact, SIMD
///     kernels chosen at run time). Above `max_clustered` tickets, a
///     deterministic sample of that size is clustered and every other ticket
///     joins the topic whose centroid is nearest, if it is at least as close
///     as the topic's loosest clustered member, else the outlier bucket.
///     Unlike HDBSCAN proper, a point that left its topic's tree at more
///     than twice the median distance of the topic's members is an outlier.
///  3. Each topic is labelled with class-based TF-IDF (c-TF-IDF) keywords
///     and two- and three-word phrases, stop words of English, Spanish,
///     German, French and Portuguese removed, and its most representative
///     tickets (closest to the topic centroid).
///  4. With timestamps, each topic's share of the first and second half of
///     the time range gives its growth; "emerging" topics are new (almost
///     absent from the first half) or among the fastest growing.
///
/// \code
///   auto enc = supportnlp::embed::StaticEncoder::load("data/models/encoder.snlp");
///   auto report = supportnlp::search::discover_topics(texts, *enc, {});
///   if (!report) { std::cerr << report.error().message << '\n'; return 1; }
///   for (const auto& t : report->topics)
///     std::cout << t.size << ' ' << t.keywords.front() << ' ' << texts[t.examples[0]] << '\n';
/// \endcode
///
/// Thread safety: pure functions of their arguments (the encoder is only
/// read through its const methods); safe to call from any number of threads
/// at once. Each call runs on the calling thread only. Deterministic: the
/// same input and options give the same report.

#include "supportnlp/embed/encoder.hpp"
#include "supportnlp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace supportnlp::search {

/// Options of discover_topics; defaults were chosen on BANKING77 and
/// CLINC150 train splits (docs/topics.md).
struct TopicOptions {
  /// Smallest group of tickets reported as a topic (>= 2). Smaller groups
  /// are outliers. 6 (was 8): the emerging-issue simulation on BANKING77
  /// train (docs/topics.md, "Simulation") passed 88 of 100 held-out intents
  /// with 6 against 86 with 8 (with the other defaults below); the NMI on
  /// the dev sets was the same.
  std::size_t min_cluster_size = 6;
  /// Neighbour rank that defines a ticket's core distance (>= 1; 0: same as
  /// min_cluster_size). Larger values call more tickets outliers.
  std::size_t min_samples = 4;
  /// Neighbours per ticket in the kNN graph (>= min_samples; 0: 2 x
  /// min_samples, at least 10).
  std::size_t neighbors = 0;
  /// Report the leaves of the condensed cluster tree (the finest topics
  /// at least min_cluster_size large) instead of its most stable clusters
  /// (excess of mass). On tickets of one domain (a BANKING77 train sample)
  /// excess of mass merged everything into 2 topics (NMI 0.02), leaves
  /// gave 72 (NMI 0.71); on CLINC150 valid they were close (0.80 / 0.81).
  bool leaf_selection = true;
  /// Outliers whose cosine to the nearest topic centroid reaches this join
  /// that topic afterwards (> 1: never; outliers stay in the bucket). 0.7
  /// was chosen on the simulation (docs/topics.md): HDBSCAN leaves a new
  /// issue's fringe tickets out (coverage was the most common miss), and
  /// below 0.7 neighbouring intents' tickets join (0.6 and 0.5 lost purity).
  float reassign_similarity = 0.7f;
  /// Topics whose centroids have at least this cosine become one topic
  /// (single link: A~B and B~C merge all three), before outliers are
  /// reassigned: HDBSCAN's leaves can split one issue into halves that say
  /// the same thing in other words. > 1: never merge. 0.8 was chosen on the
  /// simulation (docs/topics.md): 90 of 100 held-out intents passed with
  /// 0.7-0.85 against 88 without merging (two coverage misses fewer), and
  /// 0.65 began to merge neighbouring intents (83); dev NMI rose slightly.
  float merge_similarity = 0.8f;
  /// Most tickets clustered directly; beyond it a deterministic sample of
  /// this size is clustered and the others are assigned to its topics.
  std::size_t max_clustered = 20000;
  std::size_t keywords = 10; ///< keywords per topic
  std::size_t phrases = 5;   ///< phrases (2-3 words) per topic
  std::size_t examples = 3;  ///< representative tickets per topic
  /// A topic is emerging when its second-half share is at least this many
  /// times its first-half share (with timestamps only)...
  double emerging_growth = 2.0;
  /// ...and it holds at least this many tickets in the second half.
  std::size_t emerging_min_recent = 5;
  std::uint64_t seed = 1; ///< seed of the sample drawn above max_clustered
};

/// One discovered topic.
struct Topic {
  int id = 0;                        ///< index in TopicReport::topics (largest topic is 0)
  std::size_t size = 0;              ///< tickets assigned to it
  std::vector<std::string> keywords; ///< c-TF-IDF words, best first
  std::vector<std::string> phrases;  ///< c-TF-IDF 2-3 word phrases, best first
  /// Indices (into the input) of its most representative tickets, most
  /// central first.
  std::vector<std::size_t> examples;
  /// Mean cosine of its tickets to their centroid (how tight it is, 0..1).
  float cohesion = 0.0f;
  /// With timestamps: tickets in the first and second half of the time
  /// range (the split is the midpoint of the earliest and latest timestamp).
  std::size_t earlier = 0;
  std::size_t recent = 0;
  /// With timestamps: share of recent tickets / share of earlier tickets
  /// (each share relative to all tickets of that half; +1 smoothing on the
  /// earlier count, so a topic absent before gets a finite, large growth).
  /// 1.0 without timestamps.
  double growth = 1.0;
  /// With timestamps: new or growing fastest (see TopicOptions). Always
  /// false without timestamps.
  bool emerging = false;
};

/// Result of discover_topics.
struct TopicReport {
  std::vector<Topic> topics;         ///< largest first
  std::vector<std::size_t> outliers; ///< indices of tickets in no topic
  /// Topic id of every input ticket, -1 for outliers (blank texts are
  /// outliers too).
  std::vector<int> assignment;
  std::size_t clustered = 0;   ///< tickets clustered directly (the rest were assigned)
  bool has_timestamps = false; ///< growth and emerging are meaningful
  std::int64_t split_time = 0; ///< with timestamps: first half < split_time <= second half
};

/// Discovers the topics of `texts`, encoding them with `encoder`.
/// `timestamps`, if not null, holds one time per text (any unit, e.g. Unix
/// seconds) and enables growth and emerging. Errors: invalid_argument for
/// out-of-range options or a timestamps vector of another size. Empty input
/// gives an empty report.
[[nodiscard]] Result<TopicReport>
discover_topics(const std::vector<std::string>& texts, const embed::Encoder& encoder,
                const TopicOptions& options = {},
                const std::vector<std::int64_t>* timestamps = nullptr);

/// The vectors discover_topics(texts, encoder, ...) clusters: a row-major
/// texts.size() x encoder.dim() matrix of unit vectors, zero rows for blank
/// texts (whitespace only), encoded with encode_batch in blocks of 1,024
/// texts. For callers that encode once and reuse the vectors (the CLI also
/// selects tickets by them).
std::vector<float> topic_vectors(const std::vector<std::string>& texts,
                                 const embed::Encoder& encoder);

/// Same, with the texts' vectors already computed: `vectors` is row-major
/// texts.size() x dim, each row unit length (or zero for texts with nothing
/// to encode; those are outliers). For callers that encode once and reuse
/// the vectors.
[[nodiscard]] Result<TopicReport>
discover_topics(const std::vector<std::string>& texts, const float* vectors, int dim,
                const TopicOptions& options = {},
                const std::vector<std::int64_t>* timestamps = nullptr);

/// Which tickets to cluster when the question is "what are customers
/// writing about that we have no queue for?": those the intent model leaves
/// out of scope or routes with a queue confidence below max_confidence.
/// The CLI's `supportnlp topics` uses it by default (--all clusters
/// everything).
struct TopicSelection {
  /// Tickets routed with a queue confidence below this are "unsure" and
  /// clustered. 0.95 was chosen on BANKING77 train only: four simulations,
  /// each an intent model trained without 5 intents (none of the 5 the
  /// evaluation holds out), scored on a validation split; 0.95 let the most
  /// held-out intents come out as topics (17 of 20; 0.5 let 3, 0.9 16,
  /// 0.99 12). An intent model routes texts of intents it never saw to
  /// their nearest known intent with a confidence above 0.5 more often than
  /// not, so a low threshold misses them. docs/topics.md, "Which tickets".
  double max_confidence = 0.95;
  /// Neighbourhood check (0: off). A ticket the rule above picks stays
  /// picked only when at least this share of its `neighbors` nearest
  /// tickets in the batch (by the encoder's cosine, picked or not) were
  /// picked too. A new issue's tickets are unsure among unsure neighbours;
  /// a known intent's unsure ticket sits among that intent's confidently
  /// routed ones, and would otherwise blur a new topic next to it. Applied
  /// by confirm_selection (docs/topics.md, "Which tickets").
  /// 0.5 was chosen on the simulation (docs/topics.md): it clusters 60%
  /// fewer tickets, halves the other topics and passes more held-out
  /// intents than no check (0.4 and 0.6 passed fewer).
  double min_unsure_neighbors = 0.5;
  /// Nearest tickets looked at by the neighbourhood check (>= 1).
  std::size_t neighbors = 10;
  /// The neighbours are searched among at most this many tickets of the
  /// batch (an even-stride sample of it beyond that), so a large batch costs
  /// selected x max_reference dot products.
  std::size_t max_reference = 20000;
};

/// True when a ticket should be clustered under `selection`: it is out of
/// scope, or its queue confidence is below selection.max_confidence. A
/// confidence that is not a number counts as unsure (clustered).
[[nodiscard]] bool select_for_topics(bool out_of_scope, double queue_confidence,
                                     const TopicSelection& selection = {}) noexcept;

/// The neighbourhood check of `selection` (min_unsure_neighbors; a no-op
/// when it is 0): `picked[i]` says whether ticket i passed
/// select_for_topics; the result says whether it is still picked. `vectors`
/// is row-major n x dim, unit rows (zero rows, texts with nothing to encode,
/// keep their flag and count as nobody's neighbour). Deterministic; runs on
/// the calling thread. picked.size() must be n (else the flags are
/// returned unchanged).
[[nodiscard]] std::vector<char> confirm_selection(const float* vectors, std::size_t n, int dim,
                                                  const std::vector<char>& picked,
                                                  const TopicSelection& selection = {});

/// Stop words of `language` ("en", "es", "de", "fr", "pt"; case-folded),
/// as used to pick keywords; empty for other languages.
const std::vector<std::string>& topic_stop_words(const std::string& language);

} // namespace supportnlp::search
