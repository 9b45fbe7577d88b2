/* The C API's JSON for the output schema test (schema_outputs.sh): for each
 * line of INPUT, read as raw text (JSON lines included, as a caller with
 * arbitrary text would pass them), writes one line of each text-taking call's
 * JSON to OUT_DIR/{analyze,langid,tokenize,pii,urgency}.jsonl, which the test
 * validates against docs/output-schema.json, and the bundle's
 * snlp_analyzer_info to OUT_DIR/info.jsonl. A failed call writes a line that
 * is not JSON, so the validator reports it with its line number.
 * Usage: capi_outputs DATA_DIR INPUT OUT_DIR */
#define _POSIX_C_SOURCE 200809L

#include <supportnlp/supportnlp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

enum { kCalls = 5 };
static const char* const kNames[kCalls] = {"analyze", "langid", "tokenize", "pii", "urgency"};

static void put(FILE* out, snlp_status status, char* json) {
  if (status == SNLP_OK && json) {
    fprintf(out, "%s\n", json);
  } else {
    fprintf(out, "call failed: %s\n", snlp_last_error());
  }
  snlp_free_string(json);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: capi_outputs DATA_DIR INPUT OUT_DIR\n");
    return 2;
  }
  snlp_analyzer* analyzer = NULL;
  snlp_langid* langid = NULL;
  snlp_tokenizer* tokenizer = NULL;
  snlp_pii_detector* pii = NULL;
  snlp_urgency_rules* urgency = NULL;
  if (snlp_analyzer_open(argv[1], &analyzer) != SNLP_OK || snlp_langid_open(NULL, &langid) != SNLP_OK ||
      snlp_tokenizer_open(NULL, &tokenizer) != SNLP_OK || snlp_pii_open(NULL, &pii) != SNLP_OK ||
      snlp_urgency_open(NULL, &urgency) != SNLP_OK) {
    fprintf(stderr, "capi_outputs: %s\n", snlp_last_error());
    return 1;
  }
  {
    char path[4096];
    snprintf(path, sizeof path, "%s/info.jsonl", argv[3]);
    FILE* info_out = fopen(path, "wb");
    if (!info_out) {
      fprintf(stderr, "capi_outputs: cannot write %s\n", path);
      return 1;
    }
    char* info = NULL;
    const snlp_status status = snlp_analyzer_info(analyzer, &info);
    put(info_out, status, info);
    fclose(info_out);
  }
  FILE* in = fopen(argv[2], "rb");
  if (!in) {
    fprintf(stderr, "capi_outputs: cannot read %s\n", argv[2]);
    return 1;
  }
  FILE* out[kCalls];
  for (int i = 0; i < kCalls; ++i) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.jsonl", argv[3], kNames[i]);
    out[i] = fopen(path, "wb");
    if (!out[i]) {
      fprintf(stderr, "capi_outputs: cannot write %s\n", path);
      return 1;
    }
  }
  char* line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, in)) >= 0) {
    size_t len = (size_t)n;
    if (len > 0 && line[len - 1] == '\n') --len;
    snlp_status status[kCalls];
    char* json[kCalls] = {NULL, NULL, NULL, NULL, NULL};
    status[0] = snlp_analyze(analyzer, line, len, &json[0]);
    status[1] = snlp_langid_identify(langid, line, len, &json[1]);
    status[2] = snlp_tokenize(tokenizer, line, len, &json[2]);
    status[3] = snlp_pii_detect(pii, line, len, &json[3]);
    status[4] = snlp_urgency_assess(urgency, line, len, -0.5, &json[4]);
    for (int i = 0; i < kCalls; ++i) put(out[i], status[i], json[i]);
  }
  free(line);
  fclose(in);
  for (int i = 0; i < kCalls; ++i) fclose(out[i]);
  snlp_analyzer_close(analyzer);
  snlp_langid_close(langid);
  snlp_tokenizer_close(tokenizer);
  snlp_pii_close(pii);
  snlp_urgency_close(urgency);
  return 0;
}
