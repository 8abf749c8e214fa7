/* The libyaml adapter: YAML text or a file to a node tree with positions. The only file that
 * includes yaml.h. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "base/mem.h"
#include "config/node.h"
#include "config/node_priv.h"

/* Caps: a style file is a few kilobytes; these stop runaway input. */
#define CONF_MAX_FILE (16u << 20)
#define CONF_MAX_DEPTH 64
#define CONF_MAX_ANCHORS 100000u

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
  berror(b, SHOAL_ERR_DATA, m, "more than %u nodes (aliases expanding without end?)",
         CONF_MAX_NODES);
  b->fatal = true;
  return false;
}

static bool add_anchor(builder *b, const yaml_char_t *name, const shoal_node *n)
{
  if (!name)
    return true;
  if (!SHOAL_GROW(&b->anchors, &b->capanchors, b->nanchors + 1, 4, CONF_MAX_ANCHORS))
    return false;
  char *copy = shoal_strdup((const char *)name);
  shoal_node *node = copy ? shoal_node_clone_counted(n, &b->nnodes) : NULL;
  if (!node) {
    free(copy);
    return false;
  }
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
  if (len > SHOAL_CONF_MAX_SCALAR) {
    berror(b, SHOAL_ERR_DATA, m, "a value of %zu bytes; the limit is %u bytes (64 KiB)", len,
           SHOAL_CONF_MAX_SCALAR);
    return NULL;
  }
  b->nnodes += len / CONF_TEXT_PER_NODE; /* counted again by every alias that copies it */
  if (memchr(v, '\0', len)) {
    berror(b, SHOAL_ERR_DATA, m, "NUL character in a string");
    len = strlen(v);
  }
  shoal_node *n = shoal_node_new(SHOAL_NODE_SCALAR, b->file, line_of(m), col_of(m));
  if (!n || !(n->str = shoal_strndup(v, is_plain_null(ev) ? 0 : len))) {
    free(n);
    return NULL;
  }
  yaml_scalar_style_t st = ev->data.scalar.style;
  const char *tag = (const char *)ev->data.scalar.tag;
  n->quoted = st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
              (tag && (!strcmp(tag, YAML_STR_TAG) || !strcmp(tag, "!!str")));
  return n;
}

/* YAML 1.1 merge key: "<<: *base" (or a list of them) supplies keys the mapping lacks. */
static shoal_node *build_collection(builder *b, yaml_event_t *ev, int depth)
{
  bool is_map = ev->type == YAML_MAPPING_START_EVENT;
  yaml_mark_t m = ev->start_mark;
  if (!count_node(b, m))
    return NULL;
  shoal_node *n =
      shoal_node_new(is_map ? SHOAL_NODE_MAP : SHOAL_NODE_SEQ, b->file, line_of(m), col_of(m));
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
        if (shoal_node_check_duplicates(n, b->d))
          b->errors = true;
        if (!shoal_node_merge_keys(n, b->d, &b->errors))
          b->fatal = true;
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
      shoal_diag_error_at(b->d, SHOAL_ERR_DATA, shoal_node_loc(item),
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
    n = shoal_node_clone_counted(target, &b->nnodes);
    if (!n) {
      berror(b, SHOAL_ERR_DATA, m, "more than %u nodes (aliases expanding without end?)",
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
      berror(b, SHOAL_ERR_DATA, m, "more than %u nodes (aliases expanding without end?)",
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
    root = shoal_node_new(SHOAL_NODE_MAP, file, 1, 1);
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
    shoal_diag_error(d, SHOAL_ERR_DATA, name, 0, 0,
                     "file is larger than %u MiB, the limit for a map or style file",
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
  size_t cap = 0, n = 0;
  char *buf = NULL;
  bool oom = false;
  while (n <= CONF_MAX_FILE) { /* one byte over the cap is enough to refuse */
    if (!SHOAL_GROW(&buf, &cap, n + 1, 4096, CONF_MAX_FILE + 1)) {
      oom = true;
      break;
    }
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (r == 0)
      break;
  }
  if (oom) {
    free(buf);
    buf = NULL;
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
    shoal_loc at = {from_file, from_file ? from_line : 0, from_file ? from_col : 0};
    shoal_diag_error_at(d, st, at, "cannot read '%s': %s", path, msg);
    return NULL;
  }
  if (len > CONF_MAX_FILE) { /* /dev/zero, a data file by mistake: bad input, not memory */
    if (from_file)
      shoal_diag_error(d, SHOAL_ERR_DATA, from_file, from_line, from_col,
                       "'%s' is larger than %u MiB, the limit for a map or style file", path,
                       CONF_MAX_FILE >> 20);
    else
      shoal_diag_error(d, SHOAL_ERR_DATA, path, 0, 0,
                       "file is larger than %u MiB, the limit for a map or style file",
                       CONF_MAX_FILE >> 20);
    free(text);
    return NULL;
  }
  shoal_node *root = shoal_conf_parse(path, text, len, d);
  free(text);
  return root;
}
