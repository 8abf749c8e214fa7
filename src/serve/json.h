/* Writing JSON for the serve API into a growing buffer: strings escaped, numbers finite. */
#ifndef SHOAL_JSON_H
#define SHOAL_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef struct shoal_json {
  char *s; /* NUL-terminated; the caller takes it (free()) when done */
  size_t n, cap;
  bool failed; /* out of memory or over the cap: the text is incomplete */
} shoal_json;

/* Append raw text (punctuation, keys already quoted). */
void shoal_json_raw(shoal_json *j, const char *text);
/* Append printf-formatted raw text. */
void shoal_json_printf(shoal_json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string (null for NULL); invalid UTF-8 bytes become U+FFFD. */
void shoal_json_str(shoal_json *j, const char *s);
/* Append "key": (a comma first unless first). */
void shoal_json_key(shoal_json *j, const char *key, bool first);
/* Append a number (null when not finite). */
void shoal_json_num(shoal_json *j, double v);

#endif
