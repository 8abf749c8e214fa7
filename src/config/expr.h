/* Attribute filters ("iso2 = 'PH' and not kind in ('reef','island')") and label templates
 * ("{name_en} ({name_zh})") over a feature's fields. Parsed once, bound to a layer's field
 * list once, evaluated per feature. */
#ifndef SHOAL_EXPR_H
#define SHOAL_EXPR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct shoal_expr shoal_expr;
typedef struct shoal_template shoal_template;

/* Field lookup used when binding: index of the named field (case-insensitive), or -1. */
typedef int (*shoal_field_lookup_fn)(void *ctx, const char *name);
/* Attribute getter used when evaluating: the value of field `field` of the current feature as
 * UTF-8 text (numbers formatted without trailing zeros), or NULL for a null value. The result
 * may point into buf (size buflen) or into ctx-owned memory valid until the next call. */
typedef const char *(*shoal_attr_fn)(void *ctx, int field, char *buf, size_t buflen);

/* Parse a filter. Grammar (keywords case-insensitive):
 *   expr   := or ; or := and ('or' and)* ; and := unary ('and' unary)*
 *   unary  := 'not' unary | '(' expr ')' | cmp
 *   cmp    := FIELD op VALUE | FIELD ['not'] 'in' '(' VALUE (',' VALUE)* ')'
 *             | FIELD 'is' ['not'] 'null'
 *   op     := '=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>='
 *   VALUE  := 'single' or "double" quoted string | number
 *   FIELD  := identifier [A-Za-z_][A-Za-z0-9_]* or "[field name]"
 * Comparison is numeric when the literal is a number and the field's value parses as one,
 * else a byte-wise string comparison. Caller frees with shoal_expr_free. On error returns NULL
 * and writes a message (no position prefix, e.g. "expected a value after '='") to err and the
 * 1-based column in the text. */
shoal_expr *shoal_expr_parse(const char *text, char *err, size_t errlen, int *errcol);
/* Resolve field names. Returns false and sets *missing (borrowed from the expr) and *col
 * (1-based column of the name in the filter text) for the first unknown field. */
bool shoal_expr_bind(shoal_expr *e, shoal_field_lookup_fn lookup, void *ctx, const char **missing,
                     int *col);
/* Evaluate a bound expression for the current feature. A null field compares false except
 * with 'is null' / '!='. */
bool shoal_expr_eval(const shoal_expr *e, shoal_attr_fn get, void *ctx);
/* Names of all fields referenced, in order (borrowed; valid while e lives). */
size_t shoal_expr_fields(const shoal_expr *e, const char *const **names);
void shoal_expr_free(shoal_expr *e);

/* Parse a template: literal text with {field} substitutions; "{{" and "}}" are literal braces.
 * A substitution may list fallbacks: "{name_vi|name_en}" takes the first non-empty field.
 * Each field may carry a number format after a colon ("{area_km2:,.0f|note}", see
 * shoal_numfmt): a value that is not a number then counts as empty (the next fallback).
 * Caller frees with shoal_template_free. Errors (unclosed brace, empty name) as for
 * shoal_expr_parse. */
shoal_template *shoal_template_parse(const char *text, char *err, size_t errlen, int *errcol);
/* As shoal_expr_bind; *missing is borrowed from the template. */
bool shoal_template_bind(shoal_template *t, shoal_field_lookup_fn lookup, void *ctx,
                         const char **missing, int *col);
/* Number formats ({x:,.0f}) use the thousands separator and decimal mark of language lang
 * (copied; NULL: en). Set it before expanding; a template starts with en. */
void shoal_template_set_lang(shoal_template *t, const char *lang);
/* The i-th field reference that carries a number format, for checking the field's type:
 * its bound index (-1 when unbound), name (borrowed from t) and 1-based column. False when
 * there are fewer than i + 1. */
bool shoal_template_number_ref(const shoal_template *t, size_t i, int *field, const char **name,
                               int *col);
/* Expanded UTF-8 text; caller frees with free(). Returns "" (allocated) when every
 * substitution is empty and there is no literal text; NULL only when out of memory. */
char *shoal_template_expand(const shoal_template *t, shoal_attr_fn get, void *ctx);
/* True when the expansion for the current feature would contain at least one non-empty field. */
bool shoal_template_has_value(const shoal_template *t, shoal_attr_fn get, void *ctx);
void shoal_template_free(shoal_template *t);

/* A number format, the text after ':' in a template substitution ("{area_km2:,.0f}"), after
 * Python's format mini-language: [,][.N][f|d]. ',' groups thousands; '.N' gives N decimals
 * (0..20; with 'f' or alone); 'd' rounds to a whole number (no '.N'). ',' alone keeps the
 * value's own decimals. */
typedef struct shoal_numfmt {
  bool group;
  int prec; /* decimals, -1 when not given */
  bool integer;
} shoal_numfmt;

/* Parse spec[0..len); false (with *bad the 0-based offset of the offending character) when it
 * is not of the form above. */
bool shoal_numfmt_parse(const char *spec, size_t len, shoal_numfmt *f, size_t *bad);
/* Write v formatted by f with the thousands separator and decimal mark of language lang (the
 * table in label_lang.c; NULL or a code not in it: en's) into buf. False when v is not finite
 * or the text does not fit (buf is then ""). */
bool shoal_numfmt_format(double v, const shoal_numfmt *f, const char *lang, char *buf,
                         size_t buflen);

/* The first "{KEY}" or "{KEY:FORMAT}" in text (the legend's "{count}"): its start, with *end
 * one past its '}' and the format in spec[0..*speclen) (length 0 without one). NULL when text
 * has none. */
const char *shoal_numfmt_find_key(const char *text, const char *key, const char **end,
                                  const char **spec, size_t *speclen);

/* Parse a decimal number ([+-]digits[.digits][e[+-]digits], surrounding blanks allowed) in
 * the C locale whatever the process locale. False when s[0..len) is anything else (hex, inf,
 * nan, trailing text) or out of range. Shared by filters, colours and the config readers. */
bool shoal_expr_parse_number(const char *s, size_t len, double *out);

#endif
