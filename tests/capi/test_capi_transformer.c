/* The transformer encoder through the C API, from C (issue 14): a handle
 * loaded from a Hugging Face folder (dim, fingerprint, encode, encode_batch,
 * close) and its errors; a bundle holding the encoder in models/transformer
 * (snlp_analyzer_info names it for the KB and the intent model), the
 * "encoder" option replacing it, and a bundle lacking the encoder its intent
 * model needs; one handle shared by four threads, each output equal to a
 * single thread's. argv[1]: tests/data/transformer; argv[2]: the bundles of
 * make_transformer_bundle. The weights are random: vectors are checked for
 * their contract (unit length, batch = single), not their meaning. */
#include "check.h"

#include <supportnlp/supportnlp.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double norm(const float* v, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i)
    s += (double)v[i] * v[i];
  return sqrt(s);
}

static void check_encoder(const char* fixtures) {
  char path[4096];
  snprintf(path, sizeof path, "%s/bert-bare", fixtures);
  snlp_transformer* enc = NULL;
  CHECK(snlp_transformer_open(path, "{\"threads\":2}", &enc) == SNLP_OK);
  if (!enc) return;
  const size_t dim = snlp_transformer_dim(enc);
  CHECK(dim == 32);
  CHECK(snlp_transformer_dim(NULL) == 0);

  char* fp = NULL;
  CHECK(snlp_transformer_fingerprint(enc, &fp) == SNLP_OK);
  CHECK(fp && strncmp(fp, "transformer/bert/32/", 20) == 0);

  const char* texts[3] = {"where is my refund", "I can't log in to my account", ""};
  size_t lens[3];
  for (int i = 0; i < 3; ++i)
    lens[i] = strlen(texts[i]);
  float single[3][32], batch[3 * 32];
  for (int i = 0; i < 3; ++i)
    CHECK(snlp_transformer_encode(enc, texts[i], lens[i], single[i], 32) == SNLP_OK);
  CHECK(fabs(norm(single[0], dim) - 1.0) < 1e-5);
  CHECK(fabs(norm(single[1], dim) - 1.0) < 1e-5);
  CHECK(norm(single[2], dim) == 0.0); /* empty text: the zero vector */
  CHECK(snlp_transformer_encode_batch(enc, texts, lens, 3, batch, 3 * 32) == SNLP_OK);
  for (int i = 0; i < 3; ++i)
    for (size_t d = 0; d < dim; ++d)
      CHECK(fabs(batch[i * 32 + d] - single[i][d]) < 1e-5);
  CHECK(snlp_transformer_encode_batch(enc, NULL, NULL, 0, NULL, 0) == SNLP_OK);

  /* The caller's buffer size is checked, and so is every pointer. */
  float small[8];
  CHECK(snlp_transformer_encode(enc, texts[0], lens[0], small, 8) == SNLP_INVALID_ARGUMENT);
  CHECK(contains(snlp_last_error(), "32"));
  CHECK(snlp_transformer_encode_batch(enc, texts, lens, 3, batch, 2 * 32) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_transformer_encode(enc, NULL, 3, single[0], 32) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_transformer_encode(NULL, texts[0], lens[0], single[0], 32) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_transformer_encode(enc, texts[0], lens[0], NULL, 32) == SNLP_INVALID_ARGUMENT);
  snlp_free_string(fp);
  snlp_transformer_close(enc);
  snlp_transformer_close(NULL);

  /* Options: pooling overrides the folder's (another fingerprint). */
  CHECK(snlp_transformer_open(path, "{\"pooling\":\"mean\",\"max_seq_length\":8}", &enc) ==
        SNLP_OK);
  char* fp2 = NULL;
  CHECK(snlp_transformer_fingerprint(enc, &fp2) == SNLP_OK);
  CHECK(contains(fp2, "/mean/8/"));
  snlp_free_string(fp2);
  snlp_transformer_close(enc);

  /* Errors: status, no handle, a message naming the cause. */
  enc = (snlp_transformer*)1;
  CHECK(snlp_transformer_open(path, "{\"pooling\":\"sum\"}", &enc) == SNLP_INVALID_ARGUMENT);
  CHECK(enc == NULL);
  CHECK(contains(snlp_last_error(), "pooling"));
  CHECK(snlp_transformer_open(path, "{\"thread\":2}", &enc) == SNLP_INVALID_ARGUMENT);
  CHECK(contains(snlp_last_error(), "thread"));
  CHECK(snlp_transformer_open(NULL, NULL, &enc) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_transformer_open(path, NULL, NULL) == SNLP_INVALID_ARGUMENT);
  snprintf(path, sizeof path, "%s/no-such-model", fixtures);
  CHECK(snlp_transformer_open(path, NULL, &enc) == SNLP_NOT_FOUND);
  CHECK(enc == NULL);
  CHECK(contains(snlp_last_error(), "no-such-model"));
}

/* One handle, four threads, each encoding every text (single and batched,
 * in its own order) and comparing with the single-thread vectors. */
#define SHARED_TEXTS 6
static const char* const shared_texts[SHARED_TEXTS] = {
    "where is my refund",
    "I can't log in",
    "",
    "parcel stuck in transit for two weeks",
    "caf\xc3\xa9 \xff invalid",
    "a a a a a a a a a a a a a a a a a a a a a a a a a a a a"};
static float shared_expected[SHARED_TEXTS][32];
struct shared_job {
  const snlp_transformer* enc;
  int offset;
  int mismatches;
};

static void* shared_worker(void* arg) {
  struct shared_job* job = (struct shared_job*)arg;
  size_t lens[SHARED_TEXTS];
  for (int i = 0; i < SHARED_TEXTS; ++i)
    lens[i] = strlen(shared_texts[i]);
  for (int round = 0; round < 20; ++round) {
    for (int k = 0; k < SHARED_TEXTS; ++k) {
      const int i = (k + job->offset + round) % SHARED_TEXTS;
      float v[32];
      if (snlp_transformer_encode(job->enc, shared_texts[i], lens[i], v, 32) != SNLP_OK ||
          memcmp(v, shared_expected[i], sizeof v) != 0)
        ++job->mismatches;
    }
    float batch[SHARED_TEXTS * 32];
    if (snlp_transformer_encode_batch(job->enc, shared_texts, lens, SHARED_TEXTS, batch,
                                      SHARED_TEXTS * 32) != SNLP_OK) {
      ++job->mismatches;
      continue;
    }
    for (int i = 0; i < SHARED_TEXTS; ++i)
      for (int d = 0; d < 32; ++d)
        if (fabs(batch[i * 32 + d] - shared_expected[i][d]) > 1e-5) ++job->mismatches;
  }
  return NULL;
}

static void check_threads(const char* fixtures) {
  char path[4096];
  snprintf(path, sizeof path, "%s/bert-bare", fixtures);
  snlp_transformer* enc = NULL;
  CHECK(snlp_transformer_open(path, "{\"threads\":2}", &enc) == SNLP_OK);
  if (!enc) return;
  for (int i = 0; i < SHARED_TEXTS; ++i)
    CHECK(snlp_transformer_encode(enc, shared_texts[i], strlen(shared_texts[i]), shared_expected[i],
                                  32) == SNLP_OK);
  pthread_t threads[4];
  struct shared_job jobs[4];
  for (int t = 0; t < 4; ++t) {
    jobs[t].enc = enc;
    jobs[t].offset = t;
    jobs[t].mismatches = 0;
    CHECK(pthread_create(&threads[t], NULL, shared_worker, &jobs[t]) == 0);
  }
  for (int t = 0; t < 4; ++t) {
    pthread_join(threads[t], NULL);
    CHECK(jobs[t].mismatches == 0);
  }
  snlp_transformer_close(enc);
}

static void check_bundles(const char* fixtures, const char* bundles) {
  char path[4096], other[4096], options[8192];
  snprintf(path, sizeof path, "%s/bert-bare", fixtures);
  snlp_transformer* enc = NULL;
  char* fp = NULL;
  CHECK(snlp_transformer_open(path, NULL, &enc) == SNLP_OK);
  CHECK(snlp_transformer_fingerprint(enc, &fp) == SNLP_OK);
  snlp_transformer_close(enc);
  if (!fp) return;

  /* The full bundle: its transformer serves the KB and the intent model. */
  snprintf(path, sizeof path, "%s/full", bundles);
  snlp_analyzer* analyzer = NULL;
  CHECK(snlp_analyzer_open(path, &analyzer) == SNLP_OK);
  char* info = NULL;
  CHECK(snlp_analyzer_info(analyzer, &info) == SNLP_OK);
  char expected[1024];
  snprintf(expected, sizeof expected, "\"transformer_encoder\":\"%s\"", fp);
  CHECK(contains(info, expected));
  snprintf(expected, sizeof expected, "\"kb_encoder\":\"%s\"", fp);
  CHECK(contains(info, expected));
  snprintf(expected, sizeof expected, "\"intent_encoder\":\"%s\"", fp);
  CHECK(contains(info, expected));
  CHECK(contains(info, "\"kb_articles\":2"));
  snlp_free_string(info);
  const char* text = "where is my refund";
  char* json = NULL;
  CHECK(snlp_analyze(analyzer, text, strlen(text), &json) == SNLP_OK);
  CHECK(contains(json, "\"intent\":{"));
  CHECK(contains(json, "\"kb\":[{"));
  snlp_free_string(json);
  snlp_analyzer_close(analyzer);
  CHECK(snlp_analyzer_info(NULL, &info) == SNLP_INVALID_ARGUMENT);

  /* "encoder" replaces the bundle's transformer: another one is refused,
   * naming the encoder the models need. */
  snprintf(other, sizeof other, "%s/bert-prefixed", fixtures);
  snprintf(options, sizeof options, "{\"encoder\":\"%s\"}", other);
  analyzer = (snlp_analyzer*)1;
  CHECK(snlp_analyzer_open_with_options(path, options, &analyzer) == SNLP_INVALID_ARGUMENT);
  CHECK(analyzer == NULL);
  CHECK(contains(snlp_last_error(), fp));
  CHECK(contains(snlp_last_error(), "lacks"));

  /* A bundle without the encoder its intent model needs: an error, and with
   * the encoder given as an option, it opens. */
  snprintf(path, sizeof path, "%s/lacking", bundles);
  CHECK(snlp_analyzer_open(path, &analyzer) == SNLP_INVALID_ARGUMENT);
  CHECK(contains(snlp_last_error(), fp));
  CHECK(contains(snlp_last_error(), "intent model"));
  snprintf(other, sizeof other, "%s/bert-bare", fixtures);
  snprintf(options, sizeof options, "{\"encoder\":\"%s\"}", other);
  CHECK(snlp_analyzer_open_with_options(path, options, &analyzer) == SNLP_OK);
  CHECK(snlp_analyzer_info(analyzer, &info) == SNLP_OK);
  snprintf(expected, sizeof expected, "\"intent_encoder\":\"%s\"", fp);
  CHECK(contains(info, expected));
  CHECK(contains(info, "\"kb_encoder\":\"\""));
  snlp_free_string(info);
  snlp_analyzer_close(analyzer);
  CHECK(snlp_analyzer_open_with_options(path, "{\"encoder\":3}", &analyzer) ==
        SNLP_INVALID_ARGUMENT);
  snlp_free_string(fp);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test_capi_transformer_c FIXTURES_DIR BUNDLES_DIR\n");
    return 2;
  }
  check_encoder(argv[1]);
  check_threads(argv[1]);
  check_bundles(argv[1], argv[2]);
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
