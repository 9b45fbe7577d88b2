/* A learned sentiment model through the C API, from C: the analyzer opened
 * with options naming a sentiment model file, the bundle's
 * models/sentiment.snlp slot, the lexicon when neither is given, and the
 * errors of bad options and of files that are no sentiment model.
 * argv[1]: a sentiment model file (written by make_sentiment_model);
 * argv[2]: a scratch directory for the bundles this test builds.
 * Exits non-zero on the first failed check. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <supportnlp/supportnlp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The sentiment label in an analysis ("" if none), copied into `label`. */
static void sentiment_label(const char* json, char* label, size_t size) {
  label[0] = '\0';
  const char* s = json ? strstr(json, "\"sentiment\":{") : NULL;
  const char* l = s ? strstr(s, "\"label\":\"") : NULL;
  if (!l) return;
  l += strlen("\"label\":\"");
  size_t n = 0;
  while (l[n] && l[n] != '"' && n + 1 < size) {
    label[n] = l[n];
    ++n;
  }
  label[n] = '\0';
}

/* The analysis of `text` by `analyzer` (caller frees), or NULL. */
static char* analyze(const snlp_analyzer* analyzer, const char* text) {
  char* json = NULL;
  if (snlp_analyze(analyzer, text, strlen(text), &json) != SNLP_OK) return NULL;
  return json;
}

static int copy_file(const char* from, const char* to) {
  FILE* in = fopen(from, "rb");
  if (!in) return 0;
  FILE* out = fopen(to, "wb");
  if (!out) {
    fclose(in);
    return 0;
  }
  char buffer[65536];
  size_t n;
  int ok = 1;
  while ((n = fread(buffer, 1, sizeof buffer, in)) > 0)
    if (fwrite(buffer, 1, n, out) != n) ok = 0;
  fclose(in);
  if (fclose(out) != 0) ok = 0;
  return ok;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: test_capi_sentiment_c MODEL.snlp SCRATCH_DIR\n");
    return 2;
  }
  const char* model = argv[1];
  const char* scratch = argv[2];
  const char* negative = "Still waiting for my refund, the app keeps crashing. Worst support ever.";
  const char* positive = "Thanks for the quick fix, great support, problem solved!";
  char options[4096];
  char label[32];
  snlp_analyzer* lexicon = NULL;
  snlp_analyzer* learned = NULL;

  /* NULL options: the same analyzer as snlp_analyzer_open (the default
   * bundle has no sentiment model, so the lexicon answers). */
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR, NULL, &lexicon) == SNLP_OK);
  snlp_analyzer* plain = NULL;
  CHECK(snlp_analyzer_open(SUPPORTNLP_DATA_DIR, &plain) == SNLP_OK);
  char* a = analyze(lexicon, negative);
  char* b = analyze(plain, negative);
  CHECK(a && b && strcmp(a, b) == 0);
  snlp_free_string(a);
  snlp_free_string(b);
  snlp_analyzer_close(plain);

  /* "sentiment_model": the learned model answers, with its own scores. */
  snprintf(options, sizeof options, "{\"sentiment_model\":\"%s\"}", model);
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR, options, &learned) == SNLP_OK);
  CHECK(learned != NULL);
  a = analyze(learned, negative);
  sentiment_label(a, label, sizeof label);
  CHECK(strcmp(label, "negative") == 0);
  b = analyze(lexicon, negative);
  CHECK(a && b && strcmp(a, b) != 0); /* another model, other scores */
  snlp_free_string(a);
  snlp_free_string(b);
  a = analyze(learned, positive);
  sentiment_label(a, label, sizeof label);
  CHECK(strcmp(label, "positive") == 0);
  snlp_free_string(a);
  /* Its languages are the lexicon's (none recorded at training): a Japanese
   * ticket gets no guess. */
  a = analyze(learned, "\xe6\xb3\xa8\xe6\x96\x87\xe3\x81\x97\xe3\x81\x9f\xe5\x95\x86\xe5\x93\x81"
                       "\xe3\x81\x8c\xe3\x81\xbe\xe3\x81\xa0\xe5\xb1\x8a\xe3\x81\x8d\xe3\x81\xbe"
                       "\xe3\x81\x9b\xe3\x82\x93\xe3\x80\x82\xe8\xbf\x94\xe9\x87\x91\xe3\x81\x97"
                       "\xe3\x81\xa6\xe3\x81\x8f\xe3\x81\xa0\xe3\x81\x95\xe3\x81\x84\xe3\x80\x82");
  CHECK(contains(a, "\"reason\":\"unsupported_language\""));
  snlp_free_string(a);
  /* "" leaves the bundle's choice. */
  snlp_analyzer* same = NULL;
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR, "{\"sentiment_model\":\"\"}", &same) ==
        SNLP_OK);
  a = analyze(same, negative);
  b = analyze(lexicon, negative);
  CHECK(a && b && strcmp(a, b) == 0);
  snlp_free_string(a);
  snlp_free_string(b);
  snlp_analyzer_close(same);

  /* The bundle slot: models/sentiment.snlp in a bundle directory is used
   * with no options, as the same file named in the options is. */
  char dir[2048], models[2048], slot[2048], empty[2048];
  snprintf(dir, sizeof dir, "%s", scratch);
  snprintf(models, sizeof models, "%s/models", scratch);
  snprintf(slot, sizeof slot, "%s/models/sentiment.snlp", scratch);
  snprintf(empty, sizeof empty, "%s/empty", scratch);
  mkdir(dir, 0755);
  mkdir(models, 0755);
  mkdir(empty, 0755);
  CHECK(copy_file(model, slot));
  snlp_analyzer* bundled = NULL;
  snlp_analyzer* named = NULL;
  snlp_analyzer* bare = NULL;
  CHECK(snlp_analyzer_open(dir, &bundled) == SNLP_OK);
  CHECK(snlp_analyzer_open_with_options(empty, options, &named) == SNLP_OK);
  CHECK(snlp_analyzer_open(empty, &bare) == SNLP_OK);
  a = analyze(bundled, negative);
  b = analyze(named, negative);
  char* c = analyze(bare, negative);
  CHECK(a && b && strcmp(a, b) == 0);
  CHECK(a && c && strcmp(a, c) != 0);
  snlp_free_string(a);
  snlp_free_string(b);
  snlp_free_string(c);
  snlp_analyzer_close(bundled);
  snlp_analyzer_close(named);
  snlp_analyzer_close(bare);

  /* Errors: each leaves *out NULL and says what went wrong. */
  snlp_analyzer* bad = (snlp_analyzer*)&failures; /* overwritten on every call */
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR,
                                        "{\"sentiment_model\":\"" SUPPORTNLP_DATA_DIR
                                        "/models/intent.snlp\"}",
                                        &bad) == SNLP_WRONG_KIND);
  CHECK(bad == NULL);
  CHECK(contains(snlp_last_error(), "intent.snlp"));
  CHECK(contains(snlp_last_error(), "'intent'"));
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR,
                                        "{\"sentiment_model\":\"/nonexistent/sentiment.snlp\"}",
                                        &bad) == SNLP_NOT_FOUND);
  CHECK(bad == NULL);
  CHECK(contains(snlp_last_error(), "/nonexistent/sentiment.snlp"));
  /* A damaged copy of the model. */
  char damaged[2048];
  snprintf(damaged, sizeof damaged, "%s/damaged.snlp", scratch);
  FILE* f = fopen(damaged, "wb");
  CHECK(f != NULL);
  if (f) {
    fputs("SNLP but not really a model file", f);
    fclose(f);
  }
  snprintf(options, sizeof options, "{\"sentiment_model\":\"%s\"}", damaged);
  const snlp_status s = snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR, options, &bad);
  CHECK(s == SNLP_BAD_MAGIC || s == SNLP_TRUNCATED);
  CHECK(bad == NULL);
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR, "{\"sentiment_model\":3}", &bad) ==
        SNLP_INVALID_ARGUMENT);
  CHECK(contains(snlp_last_error(), "sentiment_model"));
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR, "{\"sentiment\":\"x\"}", &bad) ==
        SNLP_INVALID_ARGUMENT);
  CHECK(contains(snlp_last_error(), "sentiment"));
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR, "[1]", &bad) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR, "{", &bad) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_analyzer_open_with_options(NULL, NULL, &bad) == SNLP_INVALID_ARGUMENT);
  CHECK(bad == NULL);
  CHECK(snlp_analyzer_open_with_options(SUPPORTNLP_DATA_DIR, NULL, NULL) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_analyzer_open_with_options("/nonexistent/bundle", NULL, &bad) == SNLP_NOT_FOUND);
  remove(damaged);

  snlp_analyzer_close(learned);
  snlp_analyzer_close(lexicon);
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
