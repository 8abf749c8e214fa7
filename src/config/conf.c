/* YAML to node tree with positions (the only libyaml user), plus the basic node operations. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "config/node.h"

/* Caps: a style file is a few kilobytes; these stop runaway input, alias bombs included. */
#define CONF_MAX_FILE (16u << 20)
#define CONF_MAX_DEPTH 64
#define CONF_MAX_NODES 1000000u
#define CONF_MAX_ITEMS 8000000u

/* ---- node basics ------------------------------------------------------------------------ */

static shoal_node *new_node(shoal_node_kind kind, const char *file, int line, int col)
{
  shoal_node *n = calloc(1, sizeof *n);
  if (!n)
    return NULL;
  n->kind = kind;
  n->file = file;
  n->line = line;
  n->col = col;
  return n;
}

shoal_node *shoal_node_new_scalar(const char *file, int line, int col, const char *text)
{
  shoal_node *n = new_node(SHOAL_NODE_SCALAR, file, line, col);
  if (!n)
    return NULL;
  size_t len = text ? strlen(text) : 0;
  n->str = malloc(len + 1);
  if (!n->str) {
    free(n);
    return NULL;
  }
  if (len)
    memcpy(n->str, text, len);
  n->str[len] = '\0';
  return n;
}

shoal_node *shoal_node_new_map(const char *file, int line, int col)
{
  return new_node(SHOAL_NODE_MAP, file, line, col);
}

shoal_node *shoal_node_new_seq(const char *file, int line, int col)
{
  return new_node(SHOAL_NODE_SEQ, file, line, col);
}

void shoal_node_free(shoal_node *n)
{
  if (!n)
    return;
  free(n->str);
  for (size_t i = 0; n->items && i < n->n; i++)
    shoal_node_free(n->items[i]);
  for (size_t i = 0; n->pairs && i < n->n; i++) {
    shoal_node_free(n->pairs[i].key);
    shoal_node_free(n->pairs[i].val);
  }
  free(n->items);
  free(n->pairs);
  free(n);
}

/* Array arr of n elements (capacity *cap) with room for one more: doubling, overflow-checked,
 * capped. Returns the array (perhaps moved), or NULL with arr intact. */
static void *reserve(void *arr, size_t *cap, size_t n, size_t elem)
{
  if (n < *cap)
    return arr;
  if (n >= CONF_MAX_ITEMS)
    return NULL;
  size_t ncap = n < 4 ? 4 : n * 2;
  if (ncap > SIZE_MAX / elem)
    return NULL;
  void *p = realloc(arr, ncap * elem);
  if (!p)
    return NULL;
  *cap = ncap;
  return p;
}

bool shoal_node_map_add(shoal_node *map, shoal_node *key, shoal_node *val)
{
  shoal_pair *pairs = map && map->kind == SHOAL_NODE_MAP && key && val
                          ? reserve(map->pairs, &map->cap, map->n, sizeof *pairs)
                          : NULL;
  if (!pairs) {
    shoal_node_free(key);
    shoal_node_free(val);
    return false;
  }
  map->pairs = pairs;
  map->pairs[map->n].key = key;
  map->pairs[map->n].val = val;
  map->n++;
  return true;
}

bool shoal_node_seq_add(shoal_node *seq, shoal_node *item)
{
  shoal_node **items = seq && seq->kind == SHOAL_NODE_SEQ && item
                           ? reserve(seq->items, &seq->cap, seq->n, sizeof *items)
                           : NULL;
  if (!items) {
    shoal_node_free(item);
    return false;
  }
  seq->items = items;
  seq->items[seq->n++] = item;
  return true;
}

shoal_pair *shoal_node_find(const shoal_node *map, const char *key)
{
  if (!map || map->kind != SHOAL_NODE_MAP || !key)
    return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->pairs[i].key->str, key) == 0)
      return &map->pairs[i];
  return NULL;
}

shoal_node *shoal_node_get(shoal_node *map, const char *key)
{
  shoal_pair *p = shoal_node_find(map, key);
  if (!p)
    return NULL;
  p->key->used = true;
  p->val->used = true;
  return p->val;
}

/* Deep copy. budget (if not NULL) counts nodes against the alias-bomb cap. */
static shoal_node *clone_counted(const shoal_node *n, size_t *budget)
{
  if (!n)
    return NULL;
  if (budget && (*budget)++ >= CONF_MAX_NODES)
    return NULL;
  shoal_node *c = new_node(n->kind, n->file, n->line, n->col);
  if (!c)
    return NULL;
  c->quoted = n->quoted;
  c->used = n->used;
  if (n->kind == SHOAL_NODE_SCALAR) {
    size_t len = strlen(n->str);
    c->str = malloc(len + 1);
    if (!c->str)
      goto fail;
    memcpy(c->str, n->str, len + 1);
  } else if (n->n) {
    if (n->kind == SHOAL_NODE_SEQ) {
      c->items = calloc(n->n, sizeof *c->items);
      if (!c->items)
        goto fail;
      c->cap = n->n;
      for (size_t i = 0; i < n->n; i++, c->n++)
        if (!(c->items[i] = clone_counted(n->items[i], budget)))
          goto fail;
    } else {
      c->pairs = calloc(n->n, sizeof *c->pairs);
      if (!c->pairs)
        goto fail;
      c->cap = n->n;
      for (size_t i = 0; i < n->n; i++) {
        shoal_node *k = clone_counted(n->pairs[i].key, budget);
        shoal_node *v = k ? clone_counted(n->pairs[i].val, budget) : NULL;
        if (!v) {
          shoal_node_free(k);
          goto fail;
        }
        c->pairs[i].key = k;
        c->pairs[i].val = v;
        c->n++;
      }
    }
  }
  return c;
fail:
  shoal_node_free(c);
  return NULL;
}

shoal_node *shoal_node_clone(const shoal_node *n) { return clone_counted(n, NULL); }

void shoal_node_warn_unused(const shoal_node *root, shoal_diag *d)
{
  if (!root)
    return;
  if (root->kind == SHOAL_NODE_SEQ) {
    for (size_t i = 0; i < root->n; i++)
      shoal_node_warn_unused(root->items[i], d);
  } else if (root->kind == SHOAL_NODE_MAP) {
    for (size_t i = 0; i < root->n; i++) {
      const shoal_pair *p = &root->pairs[i];
      /* One warning per unused subtree: its inner keys are unused by implication. */
      if (!p->key->used)
        shoal_diag_warn(d, p->key->file, p->key->line, p->key->col, "key '%s' is not used",
                        p->key->str);
      else
        shoal_node_warn_unused(p->val, d);
    }
  }
}

/* ---- YAML events to nodes --------------------------------------------------------------- */

typedef struct anchor {
  char *name;
  shoal_node *node; /* own copy: the tree's node may be edited (merge keys) or freed */
} anchor;

typedef struct builder {
  yaml_parser_t parser;
  shoal_diag *d;
  const char *file; /* interned */
  const char *text;
  size_t len;
  anchor *anchors;
  size_t nanchors, capanchors;
  size_t nnodes;
  bool fatal;  /* parsing cannot go on: unwind */
  bool errors; /* something was reported; the result is discarded */
} builder;

static int line_of(yaml_mark_t m) { return m.line >= INT_MAX ? INT_MAX : (int)m.line + 1; }
static int col_of(yaml_mark_t m) { return m.column >= INT_MAX ? INT_MAX : (int)m.column + 1; }

static void berror(builder *b, shoal_status st, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void berror(builder *b, shoal_status st, yaml_mark_t m, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  shoal_diag_verror(b->d, st, b->file, line_of(m), col_of(m), fmt, ap);
  va_end(ap);
  b->errors = true;
}

/* Line and column (characters) of a byte offset, for reader errors that only give an offset. */
static void offset_pos(const builder *b, size_t off, int *line, int *col)
{
  int l = 1, c = 1;
  for (size_t i = 0; i < off && i < b->len; i++) {
    if (b->text[i] == '\n') {
      l++;
      c = 1;
    } else if (((unsigned char)b->text[i] & 0xC0) != 0x80) {
      c++;
    }
  }
  *line = l;
  *col = c;
}

/* The byte at 1-based line and character column, or NULL when past the text. */
static const char *char_at(const builder *b, int line, int col)
{
  const char *p = b->text, *end = b->text + b->len;
  for (int l = 1; l < line && p < end; l++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    p = nl ? nl + 1 : end;
  }
  for (int c = 1; c < col && p < end && *p != '\n'; c++) {
    p++;
    while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
      p++;
  }
  return p < end ? p : NULL;
}

static void syntax_error(builder *b)
{
  yaml_parser_t *p = &b->parser;
  b->fatal = b->errors = true;
  if (p->error == YAML_MEMORY_ERROR) {
    shoal_diag_error(b->d, SHOAL_ERR_NOMEM, b->file, 0, 0, "out of memory while parsing YAML");
    return;
  }
  const char *problem = p->problem ? p->problem : "unknown problem";
  if (p->error == YAML_READER_ERROR) {
    int line, col;
    offset_pos(b, p->problem_offset, &line, &col);
    if (p->problem_value >= 0)
      shoal_diag_error(b->d, SHOAL_ERR_DATA, b->file, line, col,
                       "bad text encoding: %s (byte 0x%02x)", problem,
                       (unsigned)p->problem_value & 0xffu);
    else
      shoal_diag_error(b->d, SHOAL_ERR_DATA, b->file, line, col, "bad text encoding: %s", problem);
    return;
  }
  int line = line_of(p->problem_mark), col = col_of(p->problem_mark);
  const char *at = char_at(b, line, col);
  if (at && *at == '\t')
    shoal_diag_error(b->d, SHOAL_ERR_DATA, b->file, line, col,
                     "YAML syntax error: tab character; YAML indents with spaces only");
  else if (p->context && (p->context_mark.line != p->problem_mark.line ||
                          p->context_mark.column != p->problem_mark.column))
    shoal_diag_error(b->d, SHOAL_ERR_DATA, b->file, line, col,
                     "YAML syntax error: %s (%s at line %d, column %d)", problem, p->context,
                     line_of(p->context_mark), col_of(p->context_mark));
  else if (p->context)
    shoal_diag_error(b->d, SHOAL_ERR_DATA, b->file, line, col, "YAML syntax error: %s (%s)",
                     problem, p->context);
  else
    shoal_diag_error(b->d, SHOAL_ERR_DATA, b->file, line, col, "YAML syntax error: %s", problem);
}

/* Next event, or false after reporting the syntax error. */
static bool next_event(builder *b, yaml_event_t *ev)
{
  if (yaml_parser_parse(&b->parser, ev))
    return true;
  syntax_error(b);
  return false;
}

static bool count_node(builder *b, yaml_mark_t m)
{
  if (b->nnodes++ < CONF_MAX_NODES)
    return true;
  berror(b, SHOAL_ERR_NOMEM, m, "more than %u nodes (aliases expanding without end?)",
         CONF_MAX_NODES);
  b->fatal = true;
  return false;
}

static bool add_anchor(builder *b, const yaml_char_t *name, const shoal_node *n)
{
  if (!name)
    return true;
  anchor *anchors = reserve(b->anchors, &b->capanchors, b->nanchors, sizeof *anchors);
  if (!anchors)
    return false;
  b->anchors = anchors;
  size_t len = strlen((const char *)name);
  char *copy = malloc(len + 1);
  shoal_node *node = copy ? clone_counted(n, &b->nnodes) : NULL;
  if (!node) {
    free(copy);
    return false;
  }
  memcpy(copy, name, len + 1);
  b->anchors[b->nanchors].name = copy;
  b->anchors[b->nanchors].node = node;
  b->nanchors++;
  return true;
}

/* Height of a tree, stopping once it exceeds limit (so the walk stays cheap). */
static int height(const shoal_node *n, int limit)
{
  if (limit < 0 || n->kind == SHOAL_NODE_SCALAR)
    return 1;
  int h = 0;
  for (size_t i = 0; i < n->n && h <= limit; i++) {
    int c = height(n->kind == SHOAL_NODE_SEQ ? n->items[i] : n->pairs[i].val, limit - 1);
    if (c > h)
      h = c;
  }
  return h + 1;
}

static bool is_plain_null(const yaml_event_t *ev)
{
  if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || ev->data.scalar.tag)
    return false;
  const char *v = (const char *)ev->data.scalar.value;
  size_t n = ev->data.scalar.length;
  return n == 0 || (n == 1 && v[0] == '~') ||
         (n == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) || !memcmp(v, "NULL", 4)));
}

static shoal_node *build(builder *b, yaml_event_t *ev, int depth);

static shoal_node *build_scalar(builder *b, yaml_event_t *ev)
{
  yaml_mark_t m = ev->start_mark;
  if (!count_node(b, m))
    return NULL;
  const char *v = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  if (memchr(v, '\0', len)) {
    berror(b, SHOAL_ERR_DATA, m, "NUL character in a string");
    len = strlen(v);
  }
  shoal_node *n = new_node(SHOAL_NODE_SCALAR, b->file, line_of(m), col_of(m));
  if (!n || !(n->str = malloc(len + 1))) {
    free(n);
    return NULL;
  }
  if (is_plain_null(ev))
    len = 0;
  memcpy(n->str, v, len);
  n->str[len] = '\0';
  yaml_scalar_style_t st = ev->data.scalar.style;
  const char *tag = (const char *)ev->data.scalar.tag;
  n->quoted = st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
              (tag && (!strcmp(tag, YAML_STR_TAG) || !strcmp(tag, "!!str")));
  return n;
}

/* YAML 1.1 merge key: "<<: *base" (or a list of them) supplies keys the mapping lacks. */
static void apply_merge_keys(builder *b, shoal_node *map)
{
  size_t i = 0;
  while (i < map->n) {
    shoal_node *k = map->pairs[i].key;
    if (k->quoted || strcmp(k->str, "<<") != 0) {
      i++;
      continue;
    }
    shoal_node *v = map->pairs[i].val;
    /* Take the '<<' pair out first so that the lookups below see only real keys. */
    memmove(map->pairs + i, map->pairs + i + 1, (map->n - i - 1) * sizeof *map->pairs);
    map->n--;
    bool oom = false;
    shoal_node *extra = new_node(SHOAL_NODE_MAP, b->file, k->line, k->col);
    size_t nsrc = v->kind == SHOAL_NODE_SEQ ? v->n : 1;
    for (size_t s = 0; extra && !oom && s < nsrc; s++) {
      const shoal_node *src = v->kind == SHOAL_NODE_SEQ ? v->items[s] : v;
      if (src->kind != SHOAL_NODE_MAP) {
        shoal_diag_error(b->d, SHOAL_ERR_DATA, src->file, src->line, src->col,
                         "'<<' needs a mapping or a list of mappings");
        b->errors = true;
        continue;
      }
      /* Earlier sources win, as do the explicit keys of the mapping itself. */
      for (size_t j = 0; j < src->n && !oom; j++) {
        const char *key = src->pairs[j].key->str;
        if (shoal_node_find(map, key) || shoal_node_find(extra, key))
          continue;
        oom = !shoal_node_map_add(extra, shoal_node_clone(src->pairs[j].key),
                                  shoal_node_clone(src->pairs[j].val));
      }
    }
    shoal_node_free(k);
    shoal_node_free(v);
    shoal_pair *np = NULL;
    if (extra && !oom) {
      size_t cap = map->n + extra->n;
      np = cap ? reserve(map->pairs, &map->cap, cap - 1, sizeof *np) : map->pairs;
      if (!np && cap)
        oom = true;
    }
    if (!extra || oom) {
      shoal_diag_error(b->d, SHOAL_ERR_NOMEM, b->file, 0, 0, "out of memory");
      b->errors = b->fatal = true;
      shoal_node_free(extra);
      return;
    }
    /* Splice the merged pairs in where the '<<' was, keeping document order. */
    map->pairs = np;
    if (extra->n) {
      memmove(map->pairs + i + extra->n, map->pairs + i, (map->n - i) * sizeof *np);
      memcpy(map->pairs + i, extra->pairs, extra->n * sizeof *np);
    }
    map->n += extra->n;
    i += extra->n;
    free(extra->pairs);
    free(extra);
  }
}

typedef struct keyref {
  const char *key;
  size_t idx;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
  const keyref *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Report duplicate keys in document order; sorting keeps big mappings O(n log n). */
static void check_duplicates(builder *b, shoal_node *map)
{
  if (map->n < 2)
    return;
  keyref *refs = malloc(map->n * sizeof *refs);
  size_t *first = malloc(map->n * sizeof *first);
  if (!refs || !first) {
    free(refs);
    free(first);
    return;
  }
  for (size_t i = 0; i < map->n; i++) {
    refs[i] = (keyref){map->pairs[i].key->str, i};
    first[i] = SIZE_MAX;
  }
  qsort(refs, map->n, sizeof *refs, keyref_cmp);
  for (size_t i = 1; i < map->n; i++) {
    size_t j = i;
    while (j > 0 && strcmp(refs[j - 1].key, refs[i].key) == 0)
      j--;
    if (j != i)
      first[refs[i].idx] = refs[j].idx;
  }
  for (size_t i = 0; i < map->n; i++) {
    if (first[i] == SIZE_MAX)
      continue;
    const shoal_node *k = map->pairs[i].key, *f = map->pairs[first[i]].key;
    shoal_diag_error(b->d, SHOAL_ERR_DATA, k->file, k->line, k->col,
                     "duplicate key '%s' (first defined at line %d)", k->str, f->line);
    b->errors = true;
  }
  free(refs);
  free(first);
}

static shoal_node *build_collection(builder *b, yaml_event_t *ev, int depth)
{
  bool is_map = ev->type == YAML_MAPPING_START_EVENT;
  yaml_mark_t m = ev->start_mark;
  if (!count_node(b, m))
    return NULL;
  shoal_node *n =
      new_node(is_map ? SHOAL_NODE_MAP : SHOAL_NODE_SEQ, b->file, line_of(m), col_of(m));
  if (!n) {
    b->fatal = b->errors = true;
    return NULL;
  }
  for (;;) {
    yaml_event_t child;
    if (!next_event(b, &child))
      break;
    if (child.type == (is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT)) {
      yaml_event_delete(&child);
      if (is_map) {
        check_duplicates(b, n);
        apply_merge_keys(b, n);
      }
      return n;
    }
    shoal_node *item = build(b, &child, depth + 1);
    yaml_event_delete(&child);
    if (b->fatal) {
      shoal_node_free(item);
      break;
    }
    if (!is_map) {
      if (item && !shoal_node_seq_add(n, item))
        b->fatal = b->errors = true;
      continue;
    }
    yaml_event_t vev;
    if (!next_event(b, &vev)) {
      shoal_node_free(item);
      break;
    }
    shoal_node *val = build(b, &vev, depth + 1);
    yaml_event_delete(&vev);
    if (b->fatal) {
      shoal_node_free(item);
      shoal_node_free(val);
      break;
    }
    if (item && item->kind != SHOAL_NODE_SCALAR) {
      shoal_diag_error(b->d, SHOAL_ERR_DATA, item->file, item->line, item->col,
                       "a mapping key must be a plain value, not a %s",
                       item->kind == SHOAL_NODE_MAP ? "mapping" : "list");
      b->errors = true;
      shoal_node_free(item);
      shoal_node_free(val);
      continue;
    }
    if (item && val && !shoal_node_map_add(n, item, val))
      b->fatal = b->errors = true;
    else if (!item || !val) {
      shoal_node_free(item);
      shoal_node_free(val);
    }
  }
  shoal_node_free(n);
  return NULL;
}

static shoal_node *build(builder *b, yaml_event_t *ev, int depth)
{
  yaml_mark_t m = ev->start_mark;
  if (depth > CONF_MAX_DEPTH) {
    berror(b, SHOAL_ERR_DATA, m, "nesting deeper than %d levels", CONF_MAX_DEPTH);
    b->fatal = true;
    return NULL;
  }
  shoal_node *n = NULL;
  const yaml_char_t *anchor_name = NULL;
  switch (ev->type) {
  case YAML_SCALAR_EVENT:
    n = build_scalar(b, ev);
    anchor_name = ev->data.scalar.anchor;
    break;
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT:
    anchor_name = ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.anchor
                                                       : ev->data.sequence_start.anchor;
    n = build_collection(b, ev, depth);
    break;
  case YAML_ALIAS_EVENT: {
    const char *name = (const char *)ev->data.alias.anchor;
    const shoal_node *target = NULL;
    for (size_t i = b->nanchors; i-- > 0 && !target;) /* a redefined anchor: latest wins */
      if (strcmp(b->anchors[i].name, name) == 0)
        target = b->anchors[i].node;
    if (!target) {
      berror(b, SHOAL_ERR_DATA, m, "unknown alias '*%s' (no '&%s' before it)", name, name);
      return NULL;
    }
    if (depth - 1 + height(target, CONF_MAX_DEPTH) > CONF_MAX_DEPTH) {
      berror(b, SHOAL_ERR_DATA, m, "alias '*%s' makes nesting deeper than %d levels", name,
             CONF_MAX_DEPTH);
      b->fatal = true;
      return NULL;
    }
    n = clone_counted(target, &b->nnodes);
    if (!n) {
      berror(b, SHOAL_ERR_NOMEM, m, "more than %u nodes (aliases expanding without end?)",
             CONF_MAX_NODES);
      b->fatal = true;
    }
    return n;
  }
  default:
    berror(b, SHOAL_ERR_INTERNAL, m, "unexpected YAML event %d", (int)ev->type);
    b->fatal = true;
    return NULL;
  }
  if (!n && !b->errors) {
    shoal_diag_error(b->d, SHOAL_ERR_NOMEM, b->file, line_of(m), col_of(m), "out of memory");
    b->errors = b->fatal = true;
  }
  if (n && anchor_name && !add_anchor(b, anchor_name, n)) {
    if (b->nnodes >= CONF_MAX_NODES)
      berror(b, SHOAL_ERR_NOMEM, m, "more than %u nodes (aliases expanding without end?)",
             CONF_MAX_NODES);
    else
      berror(b, SHOAL_ERR_NOMEM, m, "out of memory");
    b->fatal = true;
  }
  return n;
}

/* Parse a whole stream: exactly one document (none gives an empty mapping). */
static shoal_node *parse_text(const char *file, const char *text, size_t len, shoal_diag *d)
{
  builder b;
  memset(&b, 0, sizeof b);
  b.d = d;
  b.file = file;
  b.text = text;
  b.len = len;
  if (!yaml_parser_initialize(&b.parser)) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, file, 0, 0, "cannot initialise the YAML parser");
    return NULL;
  }
  yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, len);
  shoal_node *root = NULL;
  yaml_event_t ev;
  bool done = false;
  while (!done && !b.fatal && next_event(&b, &ev)) {
    switch (ev.type) {
    case YAML_STREAM_START_EVENT:
    case YAML_DOCUMENT_END_EVENT: break;
    case YAML_STREAM_END_EVENT: done = true; break;
    case YAML_DOCUMENT_START_EVENT:
      if (root) {
        berror(&b, SHOAL_ERR_DATA, ev.start_mark,
               "more than one YAML document (a second '---'); put each map in its own file");
        done = true;
      }
      break;
    default: root = build(&b, &ev, 1); break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&b.parser);
  for (size_t i = 0; i < b.nanchors; i++) {
    free(b.anchors[i].name);
    shoal_node_free(b.anchors[i].node);
  }
  free(b.anchors);
  if (b.errors) {
    shoal_node_free(root);
    return NULL;
  }
  /* An empty document reads as an empty mapping, so that an empty style file is fine. */
  if (!root || (root->kind == SHOAL_NODE_SCALAR && !root->quoted && !root->str[0])) {
    shoal_node_free(root);
    root = new_node(SHOAL_NODE_MAP, file, 1, 1);
    if (!root)
      shoal_diag_error(d, SHOAL_ERR_NOMEM, file, 0, 0, "out of memory");
  }
  return root;
}

shoal_node *shoal_conf_parse(const char *name, const char *text, size_t len, shoal_diag *d)
{
  if (!text)
    len = 0;
  if (!name)
    name = "<string>";
  if (len > CONF_MAX_FILE) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, name, 0, 0, "file is larger than %u MiB",
                     CONF_MAX_FILE >> 20);
    return NULL;
  }
  const char *file = shoal_diag_add_file(d, name, text ? text : "", len);
  if (!file) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  return parse_text(file, text ? text : "", len, d);
}

/* Read at most CONF_MAX_FILE + 1 bytes; errno-style failure in *err. Caller frees. */
static char *read_file(const char *path, size_t *len, int *err)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    *err = errno;
    return NULL;
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(f);
    *err = EISDIR;
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf && n <= CONF_MAX_FILE) { /* one byte over the cap is enough to refuse */
    if (n == cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t want = cap - n;
    if (want > CONF_MAX_FILE + 1 - n)
      want = CONF_MAX_FILE + 1 - n;
    size_t r = fread(buf + n, 1, want, f);
    n += r;
    if (r == 0)
      break;
  }
  if (!buf)
    *err = ENOMEM;
  else if (ferror(f)) {
    *err = errno ? errno : EIO;
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *len = n;
  return buf;
}

shoal_node *shoal_conf_load(const char *path, shoal_diag *d, const char *from_file, int from_line,
                            int from_col)
{
  if (!path)
    return NULL;
  size_t len = 0;
  int err = 0;
  char *text = read_file(path, &len, &err);
  if (!text) {
    char msg[128];
    if (strerror_r(err, msg, sizeof msg) != 0)
      snprintf(msg, sizeof msg, "error %d", err);
    shoal_status st = err == ENOMEM ? SHOAL_ERR_NOMEM : SHOAL_ERR_NOINPUT;
    if (from_file)
      shoal_diag_error(d, st, from_file, from_line, from_col, "cannot read '%s': %s", path, msg);
    else
      shoal_diag_error(d, st, NULL, 0, 0, "cannot read '%s': %s", path, msg);
    return NULL;
  }
  shoal_node *root = shoal_conf_parse(path, text, len, d);
  free(text);
  return root;
}
