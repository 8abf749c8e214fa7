/* What the label pass knew, kept for a viewer (`shoal serve`'s label overlay and inspect
 * panel): every label with its placed box or why it was dropped, and the candidate boxes it
 * tried. Recording is read-only: placement is the same with or without it. */
#ifndef SHOAL_LABELDEBUG_H
#define SHOAL_LABELDEBUG_H

#include <stdbool.h>
#include <stddef.h>

#include "label/collide.h"
#include "label/label.h"

/* One label of the last pass. Device px. */
typedef struct shoal_labelrec {
  char *text;       /* owned */
  char *layer;      /* owned; NULL for an annotation */
  int feature;      /* shape id of the labelled feature, -1 for annotations */
  const char *what; /* "label", "callout", "area label", ... (static) */
  shoal_loc loc;    /* an annotation's place in the map file (file borrowed from its diag) */
  bool placed;
  shoal_box box;       /* the text's box when placed */
  size_t first, ncand; /* its candidates: cand[first .. first + ncand) */
  char *reason;        /* why it was dropped (owned), NULL when placed */
} shoal_labelrec;

typedef struct shoal_labeldebug {
  shoal_labelrec *v;
  size_t n, cap;
  /* Candidate boxes tried, and for each the item it was tried for (index into the pass's items
   * while recording, then sorted into v's ranges) and what was found there: 0 free, 1 outside
   * the frame, 2 overlapping what was placed before. */
  shoal_box *cand;
  size_t *cand_item;
  unsigned char *cand_free;
  size_t ncand, capcand, capitem, capfree;
  size_t cur;    /* item being placed (while recording) */
  bool overflow; /* some candidates were not kept (a cap was reached) */
} shoal_labeldebug;

/* Record the next label passes of ls into dbg (NULL stops recording). Each draw of ls first
 * empties dbg. dbg is borrowed until recording stops or ls is freed. */
void shoal_labels_set_debug(shoal_labelstate *ls, shoal_labeldebug *dbg);
/* Empty dbg, keeping nothing. */
void shoal_labeldebug_clear(shoal_labeldebug *dbg);

#endif
