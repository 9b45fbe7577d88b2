/* supportnlp C API: for help-desk software written in other languages
 * (Python via ctypes/cffi, Go via cgo, Rust, C#, Java via FFM/JNA).
 *
 * Conventions, the same for every function:
 *   - Handles are opaque and created by snlp_<thing>_open(); release them with
 *     snlp_<thing>_close() (NULL is accepted and ignored).
 *   - Every call that can fail returns an snlp_status; SNLP_OK is 0. On
 *     failure, snlp_last_error() gives a message for people, valid until the
 *     next failing call on the same thread. No C++ exception ever crosses
 *     this boundary; nothing is printed; the process is never exited.
 *   - Text in is UTF-8 given as pointer + byte length (it need not be
 *     NUL-terminated; NUL bytes are ordinary characters). Invalid UTF-8 is
 *     accepted and repaired; offsets always refer to the caller's bytes.
 *   - Results out are UTF-8 JSON strings allocated by the library; the caller
 *     frees each one with snlp_free_string(). On failure *json_out is NULL.
 *   - Options are JSON objects given as a NUL-terminated string, or NULL for
 *     the defaults. An unknown key or a value of the wrong type is an error
 *     (SNLP_INVALID_ARGUMENT) rather than silently ignored.
 *   - Handles are immutable once opened: any number of threads may call the
 *     functions taking a const handle at the same time. Closing a handle
 *     while another thread uses it is the caller's bug.
 *
 * Example:
 *   snlp_pii_detector* pii = NULL;
 *   char* json = NULL;
 *   if (snlp_pii_open(NULL, &pii) == SNLP_OK &&
 *       snlp_pii_detect(pii, text, strlen(text), &json) == SNLP_OK) {
 *     puts(json);              // {"redacted":"mail [EMAIL]","spans":[...]}
 *     snlp_free_string(json);
 *   }
 *   snlp_pii_close(pii);
 *
 * Handles other than JSON producers (snlp_transformer) write floats into
 * caller buffers whose size the caller passes; the same status conventions
 * hold.
 *
 * Growth: intent, sentiment and knowledge-base search on their own will join
 * as further handle types following the same open/call/close pattern. Existing functions and status
 * values keep their meaning; new JSON fields may be added to outputs, so parse them leniently.
 */
#ifndef SUPPORTNLP_SUPPORTNLP_H
#define SUPPORTNLP_SUPPORTNLP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Outcome of a call. Values 1-12 match supportnlp::ErrorCode; never renumbered. */
typedef enum snlp_status {
  SNLP_OK = 0,                  /**< success */
  SNLP_INVALID_ARGUMENT = 1,    /**< NULL where a value is needed, bad options JSON */
  SNLP_IO_ERROR = 2,            /**< a file could not be read or written */
  SNLP_NOT_FOUND = 3,           /**< a file, label or record does not exist */
  SNLP_TRUNCATED = 4,           /**< a file ends before its contents do */
  SNLP_BAD_MAGIC = 5,           /**< not a supportnlp model file */
  SNLP_UNSUPPORTED_VERSION = 6, /**< model file format newer than this library */
  SNLP_CHECKSUM_MISMATCH = 7,   /**< model file corrupt (checksum) */
  SNLP_CORRUPT = 8,             /**< model file structure inconsistent */
  SNLP_WRONG_KIND = 9,          /**< a model file of another kind */
  SNLP_PARSE_ERROR = 10,        /**< malformed JSON/TSV input */
  SNLP_INVALID_DATA = 11,       /**< well-formed input that cannot be used */
  SNLP_INTERNAL = 12,           /**< unexpected failure inside the library */
  SNLP_OUT_OF_MEMORY = 13       /**< an allocation failed */
} snlp_status;

/** Name of a status, e.g. "invalid_argument"; never NULL, static storage. */
const char* snlp_status_name(snlp_status status);

/** Library version, e.g. "0.1.0"; static storage. */
const char* snlp_version(void);

/** Instruction-set level the library's kernels run with in this process:
 *  "portable", "avx2" or "avx512" (supportnlp/cpu/cpu.hpp). The best the CPU
 *  has, lowered by the environment variable SUPPORTNLP_CPU as it was at the
 *  first call; fixed thereafter. Static storage. */
const char* snlp_cpu_isa(void);

/** Message of the last failed call on this thread ("" if none). Valid until
 *  the next failing call on this thread; copy it to keep it. */
const char* snlp_last_error(void);

/** Frees a string returned by the library. NULL is ignored. */
void snlp_free_string(char* s);

/** The directory of the bundled models and data (supportnlp/data_dir.hpp):
 *  $SUPPORTNLP_DATA when set, else <prefix>/share/supportnlp of the
 *  installation the library runs from (it follows a moved prefix), else the
 *  configured install location or, for an uninstalled build, the source
 *  tree's data/. *path_out receives a string the caller frees with
 *  snlp_free_string(). Errors: SNLP_INVALID_ARGUMENT (path_out NULL),
 *  SNLP_OUT_OF_MEMORY. */
snlp_status snlp_data_dir(char** path_out);

/* --- tokenizer ------------------------------------------------------------ */

/** Word tokenizer with support entities (urls, emails, ids, prices, ...). */
typedef struct snlp_tokenizer snlp_tokenizer;

/** Opens a tokenizer. options_json: NULL or an object with optional keys
 *  "entities" (bool, default true), "punctuation" (bool, default true),
 *  "normalization" ("none" | "nfkc" | "nfkc_casefold", default "nfkc_casefold"). */
snlp_status snlp_tokenizer_open(const char* options_json, snlp_tokenizer** out);

/** Tokenizes text[0, len). Output:
 *  {"repaired_utf8":false,"tokens":[{"begin":0,"end":6,"kind":"word","normalized":"refund",
 *   "text":"Refund"},...]}
 *  begin/end are byte offsets into the caller's text. */
snlp_status snlp_tokenize(const snlp_tokenizer* tokenizer, const char* text, size_t len,
                          char** json_out);

/** Releases a tokenizer; NULL is ignored. */
void snlp_tokenizer_close(snlp_tokenizer* tokenizer);

/* --- personal data -------------------------------------------------------- */

/** Detector of emails, phone numbers, payment cards, IBANs and IP addresses. */
typedef struct snlp_pii_detector snlp_pii_detector;

/** Opens a detector. options_json: NULL or an object with optional bool keys
 *  "emails", "phones", "cards", "ibans", "ip_addresses", "phone_context"
 *  (all default true; see supportnlp/rules/pii.hpp). */
snlp_status snlp_pii_open(const char* options_json, snlp_pii_detector** out);

/** Finds personal data in text[0, len). Output:
 *  {"redacted":"call [PHONE]","repaired_utf8":false,
 *   "spans":[{"begin":5,"end":21,"kind":"phone","redacted_begin":5,"redacted_end":12}]}
 *  begin/end index the caller's text; redacted_begin/redacted_end index the
 *  "redacted" string, in which invalid UTF-8 has been replaced by U+FFFD. */
snlp_status snlp_pii_detect(const snlp_pii_detector* detector, const char* text, size_t len,
                            char** json_out);

/** Releases a detector; NULL is ignored. */
void snlp_pii_close(snlp_pii_detector* detector);

/* --- urgency --------------------------------------------------------------- */

/** The urgency rule set (docs/urgency.md). */
typedef struct snlp_urgency_rules snlp_urgency_rules;

/** Opens the rules. options_json: NULL or an object with optional keys
 *  "critical_points", "high_points", "negation_window" (integers) and
 *  "negative_sentiment", "very_negative_sentiment", "positive_sentiment"
 *  (numbers); defaults as in supportnlp/rules/urgency.hpp. */
snlp_status snlp_urgency_open(const char* options_json, snlp_urgency_rules** out);

/** Assesses text[0, len) given a sentiment score in [-1, 1] (0 if unknown).
 *  Output: {"level":"high","points":2,"evidence":[{"signal":"payment_failure",
 *  "rule":"charged twice","begin":6,"end":19,"points":2}]} */
snlp_status snlp_urgency_assess(const snlp_urgency_rules* rules, const char* text, size_t len,
                                double sentiment, char** json_out);

/** Releases the rules; NULL is ignored. */
void snlp_urgency_close(snlp_urgency_rules* rules);

/* --- one-call ticket analysis ---------------------------------------------- */

/** The analyzer: language, sentiment, queue and intent, urgency,
 *  knowledge-base search and PII for one ticket per call
 *  (supportnlp/pipeline/analyzer.hpp). */
typedef struct snlp_analyzer snlp_analyzer;

/** Opens the model bundle in directory `path` (e.g. the installed
 *  share/supportnlp, or a source tree's data/): models/langid.snlp,
 *  models/intent.snlp, models/encoder.snlp, models/sentiment.snlp (a learned
 *  sentiment model; without it sentiment comes from the lexicon analyzer),
 *  a transformer sentence encoder as the folder models/transformer/ (a
 *  Hugging Face / sentence-transformers download) or the file
 *  models/transformer.snlp, and kb/kb.snlp or kb/articles.jsonl, each used
 *  if present. A KB or intent model built or trained with an encoder gets
 *  the bundle's encoder of that fingerprint; one needing an encoder the
 *  bundle lacks is an error (SNLP_INVALID_ARGUMENT, naming the fingerprint).
 *  A KB from kb/articles.jsonl is indexed with the transformer when the
 *  bundle has one (docs/encoders.md, "Bundles"). Errors: SNLP_NOT_FOUND for a missing directory, the model
 *  loaders' statuses for damaged files, SNLP_PARSE_ERROR for a bad
 *  articles line. */
snlp_status snlp_analyzer_open(const char* path, snlp_analyzer** out);

/** Opens the bundle in directory `path` as snlp_analyzer_open() does, with
 *  options. options_json: NULL (the same as snlp_analyzer_open) or an
 *  object with the optional keys "sentiment_model" (string): a learned
 *  sentiment model file (kind "sentiment", docs/sentiment.md) used instead
 *  of the bundle's models/sentiment.snlp or, without one, the lexicon
 *  analyzer; "" leaves the bundle's choice; and "encoder" (string): a
 *  transformer encoder (a Hugging Face / sentence-transformers folder)
 *  used instead of the bundle's models/transformer; "" leaves the
 *  bundle's. Errors of the encoder are those of snlp_transformer_open. Errors: those of
 *  snlp_analyzer_open; SNLP_INVALID_ARGUMENT for options JSON that is not
 *  an object, an unknown key or a value of the wrong type; for the
 *  sentiment model file SNLP_NOT_FOUND, SNLP_BAD_MAGIC, SNLP_TRUNCATED,
 *  SNLP_CHECKSUM_MISMATCH, SNLP_WRONG_KIND (a model file of another kind),
 *  SNLP_UNSUPPORTED_VERSION, SNLP_CORRUPT, SNLP_INVALID_DATA. */
snlp_status snlp_analyzer_open_with_options(const char* path, const char* options_json,
                                            snlp_analyzer** out);

/** Analyzes text[0, len). Output, one JSON object:
 *  {"language":{"code":"es","confidence":..},
 *   "normalized":"...","sentiment":{"label":..,"score":..,"evidence":[..]},
 *   "queue":{"label":"billing","confidence":..},
 *   "intent":{"label":..,"confidence":..,"out_of_scope":..,"reason":..,"top":[..],
 *             "evidence":[..]},
 *   "urgency":{"level":..,"points":..,"evidence":[..]},
 *   "kb":[{"article_id":..,"title":..,"score":..,"passage":..}],
 *   "pii":{"spans":[{"begin":..,"end":..,"kind":..}],"redacted":".."},
 *   "repaired_utf8":false}
 *  "language" is absent without a language identifier in the bundle;
 *  "queue" and "intent" without an intent model. An out-of-scope intent
 *  carries "reason" (out_of_scope_class, low_confidence,
 *  unsupported_language, empty_text), and sentiment not computed for the
 *  ticket's language carries "reason":"unsupported_language". The queues
 *  are those of docs/taxonomy.md for the default model. A text longer than
 *  64 KiB is analysed up to that many bytes (cut at a UTF-8 boundary), and
 *  the object then ends with "truncated":true,"analyzed_bytes":N. */
snlp_status snlp_analyze(const snlp_analyzer* analyzer, const char* text, size_t len,
                         char** json_out);

/** What an opened bundle uses, as one JSON object:
 *  {"language":true,"intent":true,"kb_articles":12,
 *   "transformer_encoder":"transformer/bert/384/mean/256/...",
 *   "kb_encoder":"...","intent_encoder":""}
 *  "transformer_encoder" is the fingerprint of the bundle's transformer,
 *  "kb_encoder" that of the encoder the KB searches with, "intent_encoder"
 *  that of the frozen encoder the intent model uses; "" for none. */
snlp_status snlp_analyzer_info(const snlp_analyzer* analyzer, char** json_out);
/** Releases an analyzer; NULL is ignored. */
void snlp_analyzer_close(snlp_analyzer* analyzer);

/* --- transformer sentence encoder ------------------------------------------ */
/** A pretrained BERT or XLM-RoBERTa sentence encoder (all-MiniLM-L6-v2,
 *  bge-small-en-v1.5, e5-small-v2, multilingual MiniLM / e5, ...; see
 *  supportnlp/embed/transformer_encoder.hpp and docs/encoders.md). Vectors
 *  are unit length, float32, those of sentence-transformers on the same
 *  checkpoint. */
typedef struct snlp_transformer snlp_transformer;
/** Loads the encoder at `path`: a Hugging Face / sentence-transformers
 *  folder (config.json, model.safetensors, the tokenizer, modules.json with
 *  its pooling config). options_json: NULL or an object with optional keys
 *  "threads" (integer >= 1, default 1: threads one
 *  snlp_transformer_encode_batch call may use; snlp_transformer_encode
 *  runs on the caller's thread), "max_seq_length" (integer >= 0, default 0:
 *  the folder's) and "pooling" ("folder" (default), "mean", "cls", "max").
 *  Errors, with a message naming the file and field or tensor:
 *  SNLP_INVALID_ARGUMENT (NULL path or out, bad options), SNLP_NOT_FOUND (a
 *  required file or tensor), SNLP_PARSE_ERROR (a JSON file that does not
 *  parse), SNLP_INVALID_DATA / SNLP_CORRUPT (unsupported or inconsistent
 *  model), SNLP_TRUNCATED, SNLP_IO_ERROR. */
snlp_status snlp_transformer_open(const char* path, const char* options_json,
                                  snlp_transformer** out);
/** Vector dimension (the model's hidden size); 0 when encoder is NULL. */
size_t snlp_transformer_dim(const snlp_transformer* encoder);
/** The encoder's fingerprint ("transformer/<bert|xlm-roberta>/<dim>/
 *  <pooling>/<max_seq_length>/<weights hash>"), the string a KB or intent
 *  model built with it records; *out receives a string the caller frees
 *  with snlp_free_string(). */
snlp_status snlp_transformer_fingerprint(const snlp_transformer* encoder, char** out);
/** Writes the unit vector of text[0, len) to out[0, dim). out_len is the
 *  number of floats `out` holds: SNLP_INVALID_ARGUMENT if below dim. Empty
 *  text gives the zero vector; invalid UTF-8 is repaired. */
snlp_status snlp_transformer_encode(const snlp_transformer* encoder, const char* text, size_t len,
                                    float* out, size_t out_len);
/** Encodes n texts (texts[i] of lens[i] bytes) into out, row-major n x dim
 *  (out_len floats; SNLP_INVALID_ARGUMENT if below n * dim), packing texts
 *  of mixed lengths and using up to the "threads" given at open. The same
 *  vectors as snlp_transformer_encode up to float rounding in the last
 *  bits. texts[i] may be NULL only when lens[i] is 0; n = 0 does nothing. */
snlp_status snlp_transformer_encode_batch(const snlp_transformer* encoder, const char* const* texts,
                                          const size_t* lens, size_t n, float* out, size_t out_len);
/** Releases an encoder; NULL is ignored. */
void snlp_transformer_close(snlp_transformer* encoder);

/* --- language identification ---------------------------------------------- */

/** Language identifier (supportnlp/text/language_identifier.hpp): 112
 *  languages, ISO 639-1 codes. */
typedef struct snlp_langid snlp_langid;

/** Opens the langid model file at `path`; NULL opens the bundled model
 *  (models/langid.snlp under snlp_data_dir()). Errors: SNLP_NOT_FOUND,
 *  SNLP_TRUNCATED, SNLP_CHECKSUM_MISMATCH, SNLP_WRONG_KIND, SNLP_CORRUPT, ... */
snlp_status snlp_langid_open(const char* path, snlp_langid** out);

/** Identifies the language of text[0, len). Output, one JSON object:
 *  {"language":{"code":"es","confidence":0.98,"script":"Latn","top":[{"code":"es",
 *   "confidence":0.98},...],"undetermined":false}}, plus "repaired_utf8":true
 *  when the text was not valid UTF-8 (docs/output-schema.md, $defs/language_result).
 *  "code" is "und" (confidence 0, empty "top") when the text carries no
 *  language signal (empty, digits, URLs, ids, emoji only). At most 3 entries
 *  in "top", best first. */
snlp_status snlp_langid_identify(const snlp_langid* langid, const char* text, size_t len,
                                 char** json_out);

/** Releases a language identifier; NULL is ignored. */
void snlp_langid_close(snlp_langid* langid);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SUPPORTNLP_SUPPORTNLP_H */
