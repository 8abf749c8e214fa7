/* A YAML document as a tree of nodes that remember where they came from (file, line, column),
 * so that every later check can point at the exact place in the user's file. */
#ifndef SHOAL_NODE_H
#define SHOAL_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

#include "base/searchpath.h"

/* The longest value a map file may hold (a title, a label, a CRS in WKT), in bytes, also after
 * variable expansion and in --set: a title of megabytes would take gigabytes to lay out. */
#define SHOAL_CONF_MAX_SCALAR (64u << 10)

typedef enum shoal_node_kind { SHOAL_NODE_SCALAR, SHOAL_NODE_MAP, SHOAL_NODE_SEQ } shoal_node_kind;

typedef struct shoal_node shoal_node;

typedef struct shoal_pair {
  shoal_node *key; /* always a scalar */
  shoal_node *val;
} shoal_pair;

struct shoal_node {
  shoal_node_kind kind;
  const char *file;   /* interned in the diag; borrowed */
  int line, col;      /* 1-based position of the node's first character */
  char *str;          /* SCALAR: the text (never NULL; "" for empty/null) */
  bool quoted;        /* SCALAR: was written in quotes (so "yes" stays a string) */
  bool used;          /* set by readers; unused keys are warned about */
  shoal_node **items; /* SEQ */
  shoal_pair *pairs;  /* MAP, in document order, keys unique after loading */
  size_t n;           /* number of items or pairs */
  size_t cap;         /* allocated items or pairs (0 is fine for hand-built nodes) */
};

/* Parse one YAML file into a tree. Anchors/aliases are expanded. Syntax errors and duplicate
 * keys go to d with file:line:col. Returns NULL on error (after recording it); caller frees the
 * tree with shoal_node_free. A missing/unreadable file is SHOAL_ERR_NOINPUT, reported at
 * (from_file, from_line, from_col) when those are given (e.g. the include: line), else bare. */
shoal_node *shoal_conf_load(const char *path, shoal_diag *d, const char *from_file, int from_line,
                            int from_col);

/* Parse YAML text held in memory (for tests and --set values). name is used in messages.
 * Returns NULL on error; caller frees with shoal_node_free. */
shoal_node *shoal_conf_parse(const char *name, const char *text, size_t len, shoal_diag *d);

/* Load a map file and resolve its top-level `include:` (a path or list of paths, recursively,
 * cycles reported). Each include is looked for beside the including file, then along sp (NULL:
 * beside it only); when none is found the error is at the include item and names every place
 * looked. Included documents are merged under the including one: mappings merge key by key
 * (the includer wins), everything else is replaced. Each node keeps its own file name. The
 * `include` key is removed. Returns NULL on error; caller frees with shoal_node_free. */
shoal_node *shoal_conf_load_map(const char *path, const shoal_searchpath *sp, shoal_diag *d);

/* Apply an override "a.b.c=value" (also "title=..." meaning the first match among
 * top-level, map.*). Path segments may index sequences by number (0-based) or by the `name:`
 * of a mapping item, e.g. "layers.land.fill=#fff". Creates missing mapping keys. The value is
 * parsed as a YAML flow scalar or sequence ("[1,2,3]"). Errors go to d as
 * "--set a.b.c: …" with status SHOAL_ERR_USAGE. Returns false on error. */
bool shoal_conf_set(shoal_node *root, const char *assignment, shoal_diag *d);

/* Replace every scalar that is exactly "$name" (or contains "${name}") by the value defined
 * under the top-level `variables:` mapping (scalars or whole subtrees). Unknown variable is an
 * error at the scalar's position with a did-you-mean. The `variables` key is marked used. */
bool shoal_conf_expand_vars(shoal_node *root, shoal_diag *d);

/* Where a node was written, for shoal_diag_error_at. */
static inline shoal_loc shoal_node_loc(const shoal_node *n)
{
  return (shoal_loc){n->file, n->line, n->col};
}

/* Lookup helpers; they mark the key as used. NULL when absent. Borrowed from the tree. */
shoal_node *shoal_node_get(shoal_node *map, const char *key);
/* Deep copy; caller frees with shoal_node_free. */
shoal_node *shoal_node_clone(const shoal_node *n);
void shoal_node_free(shoal_node *n);

/* Constructors for code that builds or edits trees (--set, variables, tests). text is copied;
 * file is borrowed (intern it in the diag). Caller frees with shoal_node_free. NULL when out
 * of memory. Maps and sequences have str == NULL. */
shoal_node *shoal_node_new_scalar(const char *file, int line, int col, const char *text);
shoal_node *shoal_node_new_map(const char *file, int line, int col);
shoal_node *shoal_node_new_seq(const char *file, int line, int col);
/* Append to a mapping / sequence. Ownership of key, val and item passes to the container even
 * on failure (they are freed then). Does not check for duplicate keys. False on OOM or cap. */
bool shoal_node_map_add(shoal_node *map, shoal_node *key, shoal_node *val);
bool shoal_node_seq_add(shoal_node *seq, shoal_node *item);
/* Like shoal_node_get but marks nothing used and returns the pair (borrowed), or NULL. */
shoal_pair *shoal_node_find(const shoal_node *map, const char *key);

/* Warn "key 'x' is not used" at every mapping key in the tree that no reader marked used. */
void shoal_node_warn_unused(const shoal_node *root, shoal_diag *d);

#endif
