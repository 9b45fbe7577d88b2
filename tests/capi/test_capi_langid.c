/* The language identifier through the C API, from C: default and explicit
 * model paths, JSON output, undetermined input, invalid UTF-8, not
 * NUL-terminated spans, bad arguments and damaged files. Exits non-zero on
 * the first failed check. */
#include "check.h"

#include <supportnlp/supportnlp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  snlp_langid* lid = NULL;
  char* json = NULL;
  snlp_langid_close(NULL);

  CHECK(snlp_langid_open(SUPPORTNLP_DATA_DIR "/models/langid.snlp", &lid) == SNLP_OK);
  CHECK(lid != NULL);

  const char es[] = "Hola, mi pedido no ha llegado todav\xc3\xad"
                    "a. \xc2\xbfPueden ayudarme?";
  CHECK(snlp_langid_identify(lid, es, sizeof es - 1, &json) == SNLP_OK);
  CHECK(contains(json, "\"language\":{\"code\":\"es\""));
  CHECK(contains(json, "\"undetermined\":false"));
  CHECK(contains(json, "\"script\":\"Latn\""));
  CHECK(contains(json, "\"top\":[{\"code\":"));
  snlp_free_string(json);

  /* A span of a longer buffer, not NUL-terminated: only the German part. */
  const char mixed[] = "Meine Bestellung ist nicht angekommen.|Where is my order?";
  CHECK(snlp_langid_identify(lid, mixed, 38, &json) == SNLP_OK);
  CHECK(contains(json, "\"language\":{\"code\":\"de\""));
  snlp_free_string(json);

  /* No language signal. */
  const char id[] = "ORD-99812";
  CHECK(snlp_langid_identify(lid, id, sizeof id - 1, &json) == SNLP_OK);
  CHECK(contains(json, "\"language\":{\"code\":\"und\""));
  CHECK(contains(json, "\"undetermined\":true"));
  CHECK(contains(json, "\"top\":[]"));
  snlp_free_string(json);
  CHECK(snlp_langid_identify(lid, NULL, 0, &json) == SNLP_OK);
  CHECK(contains(json, "\"language\":{\"code\":\"und\""));
  snlp_free_string(json);

  /* Invalid UTF-8 is repaired and reported. */
  const char bad[] = "Bonjour \xff\xfe je voudrais annuler ma commande";
  CHECK(snlp_langid_identify(lid, bad, sizeof bad - 1, &json) == SNLP_OK);
  CHECK(contains(json, "\"repaired_utf8\":true"));
  CHECK(contains(json, "\"language\":{\"code\":\"fr\""));
  snlp_free_string(json);

  /* Bad arguments. */
  CHECK(snlp_langid_identify(NULL, es, sizeof es - 1, &json) == SNLP_INVALID_ARGUMENT);
  CHECK(json == NULL);
  CHECK(snlp_langid_identify(lid, NULL, 5, &json) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_langid_identify(lid, es, sizeof es - 1, NULL) == SNLP_INVALID_ARGUMENT);
  CHECK(snlp_langid_open(NULL, NULL) == SNLP_INVALID_ARGUMENT);
  snlp_langid_close(lid);

  /* Missing and wrong-kind files. */
  lid = NULL;
  CHECK(snlp_langid_open("/nonexistent/langid.snlp", &lid) == SNLP_NOT_FOUND);
  CHECK(lid == NULL);
  CHECK(strlen(snlp_last_error()) > 0);
  CHECK(snlp_langid_open(SUPPORTNLP_DATA_DIR "/models/intent.snlp", &lid) == SNLP_WRONG_KIND);
  CHECK(lid == NULL);

  /* NULL path: the bundled model, found through $SUPPORTNLP_DATA. */
  setenv("SUPPORTNLP_DATA", SUPPORTNLP_DATA_DIR, 1);
  CHECK(snlp_langid_open(NULL, &lid) == SNLP_OK);
  const char ja[] = "\xe6\xb3\xa8\xe6\x96\x87\xe3\x81\x97\xe3\x81\x9f\xe5\x95\x86\xe5\x93\x81\xe3"
                    "\x81\x8c\xe5\xb1\x8a\xe3\x81\x8d\xe3\x81\xbe\xe3\x81\x9b\xe3\x82\x93";
  CHECK(snlp_langid_identify(lid, ja, sizeof ja - 1, &json) == SNLP_OK);
  CHECK(contains(json, "\"language\":{\"code\":\"ja\""));
  snlp_free_string(json);
  snlp_langid_close(lid);

  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
