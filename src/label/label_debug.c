/* Recording the label pass for a viewer (labeldebug.h): candidate boxes as they are tried,
 * then each item's result. Nothing here changes what is placed. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "label/label_priv.h"
#include "label/labeldebug.h"

/* Enough for the densest map's pass; past it the overlay shows fewer candidates. */
#define MAX_CANDS 400000
#define MAX_RECS 200000

void shoal_labels_set_debug(shoal_labelstate *ls, shoal_labeldebug *dbg)
{
  if (ls)
    ls->dbg = dbg;
}

void shoal_labeldebug_clear(shoal_labeldebug *dbg)
{
  for (size_t i = 0; i < dbg->n; i++) {
    free(dbg->v[i].text);
    free(dbg->v[i].layer);
    free(dbg->v[i].reason);
  }
  free(dbg->v);
  free(dbg->cand);
  free(dbg->cand_item);
  free(dbg->cand_free);
  memset(dbg, 0, sizeof *dbg);
}

void shoal_lp_debug_cand(struct shoal_labeldebug *dbg, shoal_box b, bool free_, bool in_frame)
{
  if (!dbg)
    return;
  size_t need = dbg->ncand + 1;
  if (!SHOAL_GROW(&dbg->cand, &dbg->capcand, need, 256, MAX_CANDS) ||
      !SHOAL_GROW(&dbg->cand_item, &dbg->capitem, need, 256, MAX_CANDS) ||
      !SHOAL_GROW(&dbg->cand_free, &dbg->capfree, need, 256, MAX_CANDS)) {
    dbg->overflow = true;
    return;
  }
  dbg->cand[dbg->ncand] = b;
  dbg->cand_item[dbg->ncand] = dbg->cur;
  dbg->cand_free[dbg->ncand] = free_ ? 0 : !in_frame ? 1 : 2;
  dbg->ncand++;
}

/* Why an item that was not placed found no room, from what its candidates met. Caller frees. */
static char *drop_reason(const shoal_labeldebug *dbg, const shoal_labelrec *r, const lp_item *it)
{
  size_t out = 0, over = 0, free_ = 0;
  for (size_t c = r->first; c < r->first + r->ncand; c++)
    if (dbg->cand_free[c] == 0)
      free_++;
    else if (dbg->cand_free[c] == 1)
      out++;
    else
      over++;
  char buf[300];
  if (r->ncand == 0)
    snprintf(buf, sizeof buf, "%s",
             it->kind == LP_LINE ? "no stretch of its line on the page is long enough for the text"
                                 : "no position for it lies on the page");
  else if (free_ > 0)
    snprintf(buf, sizeof buf,
             "of %zu positions tried, %zu were free but the leader line to them would cross "
             "something drawn; %zu overlap labels, markers, protected lines or the furniture; "
             "%zu leave the frame",
             r->ncand, free_, over, out);
  else if (out == r->ncand)
    snprintf(buf, sizeof buf, "all %zu positions tried leave the map's frame", r->ncand);
  else
    snprintf(buf, sizeof buf,
             "all %zu positions tried are taken: %zu overlap labels, markers, protected lines or "
             "the furniture placed before it, %zu leave the frame",
             r->ncand, over, out);
  return shoal_strdup(buf);
}

/* Candidates grouped by item (a counting sort), keeping the order they were tried in. */
static bool group_candidates(shoal_labeldebug *dbg, size_t nitems)
{
  size_t n = dbg->ncand;
  if (n == 0)
    return true;
  size_t *start = calloc(nitems + 1, sizeof *start);
  shoal_box *b = malloc(n * sizeof *b);
  unsigned char *f = malloc(n);
  size_t *it = malloc(n * sizeof *it);
  bool ok = start && b && f && it;
  if (ok) {
    for (size_t i = 0; i < n; i++)
      if (dbg->cand_item[i] < nitems)
        start[dbg->cand_item[i] + 1]++;
    for (size_t k = 0; k < nitems; k++)
      start[k + 1] += start[k];
    size_t kept = start[nitems];
    for (size_t i = 0; i < n; i++) {
      size_t item = dbg->cand_item[i];
      if (item >= nitems)
        continue;
      size_t at = start[item]++;
      b[at] = dbg->cand[i];
      f[at] = dbg->cand_free[i];
      it[at] = item;
    }
    memcpy(dbg->cand, b, kept * sizeof *b);
    memcpy(dbg->cand_free, f, kept);
    memcpy(dbg->cand_item, it, kept * sizeof *it);
    dbg->ncand = kept;
  }
  free(start);
  free(b);
  free(f);
  free(it);
  return ok;
}

void shoal_lp_debug_results(struct shoal_labeldebug *dbg, const lp_list *l)
{
  if (!dbg || !group_candidates(dbg, l->n))
    return;
  size_t c = 0;
  for (size_t i = 0; i < l->n; i++) {
    const lp_item *it = &l->v[i];
    size_t first = c;
    while (c < dbg->ncand && dbg->cand_item[c] == i)
      c++;
    if (!it->text || !*it->text)
      continue;
    if (!SHOAL_GROW(&dbg->v, &dbg->cap, dbg->n + 1, 64, MAX_RECS)) {
      dbg->overflow = true;
      return;
    }
    shoal_labelrec *r = &dbg->v[dbg->n];
    memset(r, 0, sizeof *r);
    r->text = shoal_strdup(it->text);
    r->layer = it->owner ? shoal_strdup(it->owner) : NULL;
    r->feature = it->feat_id - 1;
    r->what = it->what ? it->what : "label";
    r->loc = it->loc;
    r->placed = it->placed;
    r->first = first;
    r->ncand = c - first;
    if (it->placed) {
      double w = it->kind == LP_CALLOUT ? it->w + 2 * it->pad : it->w;
      double h = it->kind == LP_CALLOUT ? it->h + 2 * it->pad : it->h;
      r->box = (shoal_box){it->bx, it->by, it->bx + w, it->by + h};
      if (it->ppath && it->nppath) {
        /* Text along a path: the box of the path grown by half the text's height. */
        shoal_box pb = {it->ppath[0], it->ppath[1], it->ppath[0], it->ppath[1]};
        for (size_t k = 1; k < it->nppath; k++) {
          double x = it->ppath[2 * k], y = it->ppath[2 * k + 1];
          pb.x0 = x < pb.x0 ? x : pb.x0;
          pb.x1 = x > pb.x1 ? x : pb.x1;
          pb.y0 = y < pb.y0 ? y : pb.y0;
          pb.y1 = y > pb.y1 ? y : pb.y1;
        }
        r->box = (shoal_box){pb.x0, pb.y0 - it->h / 2, pb.x1, pb.y1 + it->h / 2};
      }
    } else {
      r->reason = drop_reason(dbg, r, it);
    }
    if (r->text)
      dbg->n++;
  }
}
