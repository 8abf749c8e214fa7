/* Internal to src/config/: the caps on a tree and the node operations the YAML reader
 * (yamlread.c) shares with the tree itself (node.c, mapkeys.c). */
#ifndef SHOAL_NODE_PRIV_H
#define SHOAL_NODE_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "config/node.h"

/* Caps: a style file is a few kilobytes; these stop runaway input, alias bombs included. */
#define CONF_MAX_NODES 1000000u
#define CONF_MAX_ITEMS 8000000u
/* Text counts against CONF_MAX_NODES too, one node per this many bytes, so that aliases of a
 * long string cannot expand to gigabytes within the node cap. */
#define CONF_TEXT_PER_NODE 64u

/* An empty node of kind k (str NULL). Caller frees with shoal_node_free; NULL when out of
 * memory. */
shoal_node *shoal_node_new(shoal_node_kind k, const char *file, int line, int col);
/* Deep copy; budget (if not NULL) counts nodes (and text, CONF_TEXT_PER_NODE) against
 * CONF_MAX_NODES, and NULL is returned
 * once it is spent or memory runs out. Caller frees with shoal_node_free. */
shoal_node *shoal_node_clone_counted(const shoal_node *n, size_t *budget);

/* Report every duplicate key of a just-read mapping at the later key. True when any. */
bool shoal_node_check_duplicates(const shoal_node *map, shoal_diag *d);
/* Apply YAML 1.1 merge keys ("<<: *base") of a just-read mapping in place. Bad sources are
 * reported (and *errors set); false only when out of memory (also reported). */
bool shoal_node_merge_keys(shoal_node *map, shoal_diag *d, bool *errors);

#endif
