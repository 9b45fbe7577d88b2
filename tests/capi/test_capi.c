/* The C API used from C: statuses, error messages, JSON output with offsets,
 * invalid UTF-8, bad arguments and options, and concurrent use of one handle
 * from several threads. Exits non-zero on the first failed check. */
#include "check.h"

#include <supportnlp/supportnlp.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_basics(void) {
  CHECK(strcmp(snlp_status_name(SNLP_OK), "ok") == 0);
  CHECK(strcmp(snlp_status_name(SNLP_CHECKSUM_MISMATCH), "checksum_mismatch") == 0);
  CHECK(strcmp(snlp_status_name(SNLP_OUT_OF_MEMORY), "out_of_memory") == 0);
  CHECK(strcmp(snlp_status_name((snlp_status)99), "unknown") == 0);
  CHECK(strlen(snlp_version()) >= 5);
  {
    /* One level per process, the forced one when it is portable (every CPU
     * has it); capi.c_program_portable runs this program so. */
    const char* isa = snlp_cpu_isa();
    const char* forced = getenv("SUPPORTNLP_CPU");
    CHECK(strcmp(isa, "portable") == 0 || strcmp(isa, "avx2") == 0 || strcmp(isa, "avx512") == 0);
    CHECK(snlp_cpu_isa() == isa);
    if (forced && strcmp(forced, "portable") == 0) CHECK(strcmp(isa, "portable") == 0);
  }
  snlp_free_string(NULL);
  snlp_pii_close(NULL);
  snlp_urgency_close(NULL);
  snlp_tokenizer_close(NULL);
  snlp_analyzer_close(NULL);
}

static void test_pii(void) {
  snlp_pii_detector* pii = NULL;
  char* json = NULL;
  const char text[] = "mail bob@x.com, card 4111 1111 1111 1111 \xff ok";
  CHECK(snlp_pii_open(NULL, &pii) == SNLP_OK);
  CHECK(pii != NULL);
  CHECK(snlp_pii_detect(pii, text, sizeof text - 1, &json) == SNLP_OK);
  CHECK(contains(json, "\"redacted\":\"mail [EMAIL], card [CARD] \xef\xbf\xbd ok\""));
  CHECK(contains(json, "{\"begin\":5,\"end\":14,\"kind\":\"email\",\"redacted_begin\":5,"
                       "\"redacted_end\":12}"));
  CHECK(contains(json, "\"kind\":\"card\""));
  CHECK(contains(json, "\"repaired_utf8\":true"));
  snlp_free_string(json);

  /* Not NUL-terminated input, and an embedded NUL. */
  const char nul[] = {'a', '@', 'b', '.', 'c', 'o', '\0', 'x', '@', 'y', '.', 'i', 'o'};
  CHECK(snlp_pii_detect(pii, nul, sizeof nul, &json) == SNLP_OK);
  CHECK(contains(json, "\"begin\":7,\"end\":13,\"kind\":\"email\""));
  snlp_free_string(json);

  /* Empty text: NULL allowed with len 0. */
  CHECK(snlp_pii_detect(pii, NULL, 0, &json) == SNLP_OK);
  CHECK(contains(json, "\"spans\":[]"));
  snlp_free_string(json);

  /* Bad arguments leave *json_out NULL and explain themselves. */
  json = (char*)1;
  CHECK(snlp_pii_detect(pii, NULL, 5, &json) == SNLP_INVALID_ARGUMENT);
  CHECK(json == NULL);
  CHECK(contains(snlp_last_error(), "text is NULL"));
  CHECK(snlp_pii_detect(NULL, "x", 1, &json) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_pii_detect(pii, "x", 1, NULL) == SNLP_INVALID_ARGUMENT);
  snlp_pii_close(pii);

  /* Options: kinds switched off, malformed JSON, unknown keys, wrong types. */
  CHECK(snlp_pii_open("{\"emails\":false}", &pii) == SNLP_OK);
  CHECK(snlp_pii_detect(pii, text, sizeof text - 1, &json) == SNLP_OK);
  CHECK(!contains(json, "email"));
  CHECK(contains(json, "[CARD]"));
  snlp_free_string(json);
  snlp_pii_close(pii);
  pii = (snlp_pii_detector*)1;
  CHECK(snlp_pii_open("{\"emails\":", &pii) == SNLP_INVALID_ARGUMENT);
  CHECK(pii == NULL);
  CHECK(snlp_pii_open("{\"emailz\":true}", &pii) == SNLP_INVALID_ARGUMENT);
  CHECK(contains(snlp_last_error(), "emailz"));
  CHECK(snlp_pii_open("{\"emails\":1}", &pii) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_pii_open("[]", &pii) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_pii_open(NULL, NULL) == SNLP_INVALID_ARGUMENT);
}

static void test_urgency(void) {
  snlp_urgency_rules* rules = NULL;
  char* json = NULL;
  const char* text = "Third time asking: I was charged twice!";
  CHECK(snlp_urgency_open(NULL, &rules) == SNLP_OK);
  CHECK(snlp_urgency_assess(rules, text, strlen(text), 0.0, &json) == SNLP_OK);
  CHECK(contains(json, "\"level\":\"critical\""));
  CHECK(contains(json, "\"signal\":\"payment_failure\""));
  /* keys come out sorted */
  CHECK(contains(json, "{\"begin\":25,\"end\":38,\"points\":2,\"rule\":\"charged twice\","
                       "\"signal\":\"payment_failure\"}"));
  snlp_free_string(json);
  CHECK(snlp_urgency_assess(rules, "hello", 5, 0.9, &json) == SNLP_OK);
  CHECK(contains(json, "\"level\":\"low\""));
  snlp_free_string(json);
  snlp_urgency_close(rules);

  CHECK(snlp_urgency_open("{\"critical_points\":100}", &rules) == SNLP_OK);
  CHECK(snlp_urgency_assess(rules, text, strlen(text), 0.0, &json) == SNLP_OK);
  CHECK(contains(json, "\"level\":\"high\""));
  snlp_free_string(json);
  snlp_urgency_close(rules);
  CHECK(snlp_urgency_open("{\"negation_window\":-1}", &rules) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_urgency_open("{\"high_points\":1.5}", &rules) == SNLP_INVALID_ARGUMENT);
}

static void test_tokenizer(void) {
  snlp_tokenizer* tok = NULL;
  char* json = NULL;
  const char* text = "Refund ORD-99812";
  CHECK(snlp_tokenizer_open(NULL, &tok) == SNLP_OK);
  CHECK(snlp_tokenize(tok, text, strlen(text), &json) == SNLP_OK);
  CHECK(contains(json, "{\"text\":\"Refund\",\"begin\":0,\"end\":6,\"kind\":\"word\","
                       "\"normalized\":\"refund\"}"));
  CHECK(contains(json, "\"repaired_utf8\":false"));
  snlp_free_string(json);
  snlp_tokenizer_close(tok);
  CHECK(snlp_tokenizer_open("{\"normalization\":\"nfc\"}", &tok) == SNLP_INVALID_ARGUMENT);
  CHECK(contains(snlp_last_error(), "nfc"));
  CHECK(snlp_tokenizer_open("{\"normalization\":\"none\",\"entities\":false}", &tok) == SNLP_OK);
  CHECK(snlp_tokenize(tok, text, strlen(text), &json) == SNLP_OK);
  CHECK(contains(json, "\"normalized\":\"Refund\""));
  snlp_free_string(json);
  snlp_tokenizer_close(tok);
}

static void test_analyzer(void) {
  snlp_analyzer* analyzer = NULL;
  char* json = NULL;
  const char* text = "I forgot my password, third time asking! Mail me at bob@example.com";
  CHECK(snlp_analyzer_open("/nonexistent/bundle", &analyzer) == SNLP_NOT_FOUND);
  CHECK(analyzer == NULL);
  CHECK(snlp_analyzer_open(NULL, &analyzer) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_analyzer_open(SUPPORTNLP_DATA_DIR, &analyzer) == SNLP_OK);
  CHECK(snlp_analyze(analyzer, text, strlen(text), &json) == SNLP_OK);
  CHECK(contains(json, "\"level\":\"high\""));
  CHECK(contains(json,
                 "\"redacted\":\"I forgot my password, third time asking! Mail me at [EMAIL]\""));
  CHECK(contains(json, "\"article_id\":\"reset-password\""));
  snlp_free_string(json);
  CHECK(snlp_analyze(analyzer, "\xff", 1, &json) == SNLP_OK);
  CHECK(contains(json, "\"repaired_utf8\":true"));
  snlp_free_string(json);
  snlp_analyzer_close(analyzer);
}

/* One detector shared by several threads: every thread must see the same
 * output as a single-threaded call. */
struct shared_case {
  const snlp_pii_detector* pii;
  const char* text;
  const char* expected;
  int mismatches;
};

static void* worker(void* arg) {
  struct shared_case* c = (struct shared_case*)arg;
  for (int i = 0; i < 2000; ++i) {
    char* json = NULL;
    if (snlp_pii_detect(c->pii, c->text, strlen(c->text), &json) != SNLP_OK ||
        strcmp(json, c->expected) != 0)
      ++c->mismatches;
    snlp_free_string(json);
  }
  return NULL;
}

static void test_threads(void) {
  snlp_pii_detector* pii = NULL;
  char* expected = NULL;
  const char* text =
      "call +44 20 7946 0958 or mail a@b.io from 10.0.0.1, IBAN GB82WEST12345698765432";
  CHECK(snlp_pii_open(NULL, &pii) == SNLP_OK);
  CHECK(snlp_pii_detect(pii, text, strlen(text), &expected) == SNLP_OK);
  CHECK(contains(expected, "call [PHONE] or mail [EMAIL] from [IP], IBAN [IBAN]"));
  struct shared_case cases[4];
  pthread_t threads[4];
  for (int t = 0; t < 4; ++t) {
    cases[t].pii = pii;
    cases[t].text = text;
    cases[t].expected = expected;
    cases[t].mismatches = 0;
    CHECK(pthread_create(&threads[t], NULL, worker, &cases[t]) == 0);
  }
  for (int t = 0; t < 4; ++t) {
    pthread_join(threads[t], NULL);
    CHECK(cases[t].mismatches == 0);
  }
  snlp_free_string(expected);
  snlp_pii_close(pii);
}

int main(void) {
  test_basics();
  test_pii();
  test_urgency();
  test_tokenizer();
  test_analyzer();
  test_threads();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  puts("C API: all checks passed");
  return 0;
}
