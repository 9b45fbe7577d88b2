/* The C API's handles shared by 8 threads at once: one analyzer, tokenizer,
 * PII detector, urgency rules and language identifier, called by every
 * thread on the sample tickets and on pathological ones (empty, whitespace
 * only, 20 KB of one character, emoji runs, invalid UTF-8, NUL bytes, deep
 * punctuation, a 3000-digit number, mixed scripts, combining-mark stacks),
 * each thread in its own order. Every output must be byte-equal to the one a
 * single thread produced first. Short enough for the sanitizer passes of
 * scripts/test.sh; the long run is bench_soak --threads (scripts/soak.sh). */
#include "check.h"

#include <supportnlp/supportnlp.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define TICKETS_PER_THREAD 120
#define MAX_TICKETS 128
#define SURFACES 5

struct ticket {
  char* text;
  size_t len;
};

static struct ticket tickets[MAX_TICKETS];
static size_t n_tickets = 0;

static void add_ticket(const char* text, size_t len) {
  if (n_tickets == MAX_TICKETS) return;
  char* copy = (char*)malloc(len + 1);
  if (!copy) return;
  if (len) memcpy(copy, text, len);
  copy[len] = '\0';
  tickets[n_tickets].text = copy;
  tickets[n_tickets].len = len;
  ++n_tickets;
}

static void add_repeated(const char* unit, size_t unit_len, size_t bytes, const char* prefix) {
  size_t plen = strlen(prefix);
  size_t cap = plen + bytes + unit_len;
  char* s = (char*)malloc(cap);
  size_t n = plen;
  if (!s) return;
  memcpy(s, prefix, plen);
  while (n - plen < bytes) {
    memcpy(s + n, unit, unit_len);
    n += unit_len;
  }
  add_ticket(s, n);
  free(s);
}

/* The "text" value of each line of the sample tickets, escapes left as they
 * are (the tickets only need to be realistic text, not exact). */
static void load_samples(void) {
  FILE* f = fopen(SUPPORTNLP_DATA_DIR "/samples/tickets.jsonl", "r");
  char line[8192];
  CHECK(f != NULL);
  if (!f) return;
  while (fgets(line, sizeof line, f)) {
    char* b = strstr(line, "\"text\":\"");
    char* e;
    if (!b) continue;
    b += 8;
    for (e = b; *e && !(*e == '"' && e[-1] != '\\'); ++e) {
    }
    add_ticket(b, (size_t)(e - b));
  }
  fclose(f);
}

static void add_pathological(void) {
  static const char spaces[] = " \t\n\r\n\xC2\xA0\xE3\x80\x80 \xE2\x80\x8B  \f\v";
  static const char nuls[] = "refund\0\0 for ORD-1\0 please\0";
  static const char invalid[] = "charged tw\xC3 ice \xFF\xFE for \xED\xA0\x80 order \xF0\x9F\x98";
  static const char mixed[] =
      "refund \xD0\xB2\xD0\xBE\xD0\xB7\xD0\xB2\xD1\x80\xD0\xB0\xD1\x82 "
      "\xD8\xA7\xD8\xB3\xD8\xAA\xD8\xB1\xD8\xAF\xD8\xA7\xD8\xAF \xE9\x80\x80\xE6\xAC\xBE "
      "\xE2\x80\x8F\xD7\x94\xD7\x97\xD7\x96\xD7\xA8\xE2\x80\x8E r\xD0\xB5"
      "fund "
      "\xE0\xA4\xB5\xE0\xA4\xBE\xE0\xA4\xAA\xE0\xA4\xB8\xE0\xA5\x80";
  static const char emoji[] = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F"
                              "\x91\xA7\xF0\x9F\x98\xA1\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7";
  char digits[3100];
  size_t i;
  add_ticket("", 0);
  add_ticket(spaces, sizeof spaces - 1);
  add_repeated("a", 1, 20000, "");
  add_repeated("\xE4\xB8\xAD", 3, 20000, "");
  add_repeated(emoji, sizeof emoji - 1, 8000, "my order is late ");
  add_ticket(nuls, sizeof nuls - 1);
  add_ticket(invalid, sizeof invalid - 1);
  add_repeated("([{\"<", 5, 2000, "why ");
  add_repeated("?!...", 5, 2000, "refund");
  strcpy(digits, "I was charged ");
  for (i = strlen(digits); i < 3000; ++i)
    digits[i] = (char)('0' + (i * 7) % 10);
  strcpy(digits + 3000, " dollars on 4111 1111 1111 1111");
  add_ticket(digits, strlen(digits));
  add_ticket(mixed, sizeof mixed - 1);
  add_repeated("\xCC\x81\xCC\xA3", 4, 4000, "cance");
}

struct handles {
  snlp_analyzer* analyzer;
  snlp_tokenizer* tokenizer;
  snlp_pii_detector* pii;
  snlp_urgency_rules* urgency;
  snlp_langid* langid;
};

static struct handles h;
static char* expected[MAX_TICKETS][SURFACES];

/* The output of surface s on ticket i, or NULL if the call failed. */
static char* call(int s, size_t i) {
  char* json = NULL;
  const char* t = tickets[i].text;
  size_t len = tickets[i].len;
  snlp_status st = SNLP_INTERNAL;
  switch (s) {
  case 0:
    st = snlp_analyze(h.analyzer, t, len, &json);
    break;
  case 1:
    st = snlp_tokenize(h.tokenizer, t, len, &json);
    break;
  case 2:
    st = snlp_pii_detect(h.pii, t, len, &json);
    break;
  case 3:
    st = snlp_urgency_assess(h.urgency, t, len, ((int)(i % 5) - 2) / 2.0, &json);
    break;
  case 4:
    st = snlp_langid_identify(h.langid, t, len, &json);
    break;
  }
  if (st != SNLP_OK) {
    snlp_free_string(json);
    return NULL;
  }
  return json;
}

struct worker_state {
  int index;
  int calls;
  int mismatches;
};

static void* worker(void* arg) {
  struct worker_state* w = (struct worker_state*)arg;
  /* Its own start and its own stride, so that the threads hold different
   * texts at the same moment. */
  size_t idx = (size_t)w->index * n_tickets / THREADS;
  size_t step = 1 + 2 * (size_t)w->index;
  int k, s;
  for (k = 0; k < TICKETS_PER_THREAD; ++k) {
    for (s = 0; s < SURFACES; ++s) {
      char* got = call(s, idx);
      ++w->calls;
      if (!got || !expected[idx][s] || strcmp(got, expected[idx][s]) != 0) {
        if (w->mismatches++ == 0)
          fprintf(stderr, "thread %d: surface %d differs on ticket %zu\n", w->index, s, idx);
      }
      snlp_free_string(got);
    }
    idx = (idx + step) % n_tickets;
  }
  return NULL;
}

int main(void) {
  struct worker_state states[THREADS];
  pthread_t threads[THREADS];
  size_t i;
  int s, t, calls = 0;

  load_samples();
  CHECK(n_tickets >= 50);
  add_pathological();
  CHECK(snlp_analyzer_open(SUPPORTNLP_DATA_DIR, &h.analyzer) == SNLP_OK);
  CHECK(snlp_tokenizer_open(NULL, &h.tokenizer) == SNLP_OK);
  CHECK(snlp_pii_open(NULL, &h.pii) == SNLP_OK);
  CHECK(snlp_urgency_open(NULL, &h.urgency) == SNLP_OK);
  CHECK(snlp_langid_open(SUPPORTNLP_DATA_DIR "/models/langid.snlp", &h.langid) == SNLP_OK);
  if (failures) return 1;

  /* The single-thread reference. Every call succeeds, on every ticket. */
  for (i = 0; i < n_tickets; ++i)
    for (s = 0; s < SURFACES; ++s) {
      expected[i][s] = call(s, i);
      CHECK(expected[i][s] != NULL && expected[i][s][0] == '{');
    }

  for (t = 0; t < THREADS; ++t) {
    states[t].index = t;
    states[t].calls = 0;
    states[t].mismatches = 0;
    CHECK(pthread_create(&threads[t], NULL, worker, &states[t]) == 0);
  }
  for (t = 0; t < THREADS; ++t) {
    pthread_join(threads[t], NULL);
    CHECK(states[t].mismatches == 0);
    CHECK(states[t].calls == TICKETS_PER_THREAD * SURFACES);
    calls += states[t].calls;
  }

  for (i = 0; i < n_tickets; ++i) {
    for (s = 0; s < SURFACES; ++s)
      snlp_free_string(expected[i][s]);
    free(tickets[i].text);
  }
  snlp_analyzer_close(h.analyzer);
  snlp_tokenizer_close(h.tokenizer);
  snlp_pii_close(h.pii);
  snlp_urgency_close(h.urgency);
  snlp_langid_close(h.langid);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("C API threads: %d threads, %zu distinct tickets, %d calls, all equal to one thread's\n",
         THREADS, n_tickets, calls);
  return 0;
}
