/* The C API tests' one check: CHECK(cond) reports a failed condition with
 * the library's last error and counts it in `failures`, which each test's
 * main() turns into its exit status; contains() is a NULL-safe strstr. */
#ifndef SUPPORTNLP_TESTS_CAPI_CHECK_H
#define SUPPORTNLP_TESTS_CAPI_CHECK_H

#include <supportnlp/supportnlp.h>

#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__, __LINE__, #cond,      \
              snlp_last_error());                                                                  \
      ++failures;                                                                                  \
    }                                                                                              \
  } while (0)

static inline int contains(const char* haystack, const char* needle) {
  return haystack && strstr(haystack, needle) != NULL;
}

#endif
