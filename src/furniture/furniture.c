/* Map furniture: title, subtitle and credit line, and the layout that stacks the legend, scale
 * bar, north arrow and inset into the map's corners. Text goes through Pango (draw/text.c) so
 * it stays real, selectable text in PDF and SVG. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/schema.h"
#include "draw/render.h"
#include "furniture/furn_priv.h"
#include "furniture/furniture.h"

static const shoal_color title_col = {0x1a / 255.0, 0x1a / 255.0, 0x1a / 255.0, 1};
static const shoal_color sub_col = {0x44 / 255.0, 0x44 / 255.0, 0x44 / 255.0, 1};
static const shoal_color credit_col = {0x66 / 255.0, 0x66 / 255.0, 0x66 / 255.0, 1};
static const shoal_color arrow_col = {0x33 / 255.0, 0x33 / 255.0, 0x33 / 255.0, 1};
static const shoal_color white = {1, 1, 1, 1};

#define PAD 16.0      /* CSS px from the frame to the furniture */
#define GAP 10.0      /* CSS px between stacked pieces */
#define NORTH_MIN 1.0 /* degrees off straight up before `auto` shows the north arrow */
#define BAND_PAD 5.0  /* CSS px above and below the credit line in its band */

shoal_text *shoal_furn_text(const struct shoal_furnstate *fs, const char *utf8, double size,
                            int weight, double max_width)
{
  if (!fs || !fs->tc)
    return NULL;
  shoal_font f = {
      .family = fs->env.map->font, .size = size, .weight = weight, .max_width = max_width};
  return shoal_text_new(fs->tc, utf8, &f, fs->env.map->lang);
}

/* Angle of north at the map centre: project a short step north from the centre. */
static bool north_angle(struct shoal_furnstate *fs, double *ang)
{
  double mpp = fs->env.scale_denom * 0.00028;
  if (!(mpp > 0) || fabs(fs->env.centre_lat) > 89.5)
    return false;
  double xy[4] = {fs->env.centre_lon, fs->env.centre_lat, 0, 0};
  shoal_geod_direct(xy[0], xy[1], 0, 40 * mpp, &xy[2], &xy[3]);
  if (shoal_xform_inv(fs->env.to_ll, xy, 2) != 2)
    return false;
  shoal_view_apply(&fs->env.view, xy, 2);
  double dx = xy[2] - xy[0], dy = xy[3] - xy[1];
  if (!isfinite(dx) || !isfinite(dy) || (dx == 0 && dy == 0))
    return false;
  *ang = atan2(dx, -dy);
  return true;
}

void shoal_furniture_free(struct shoal_furnstate *fs)
{
  if (!fs)
    return;
  shoal_inset_release(fs);
  shoal_textctx_free(fs->tc);
  free(fs->glabels);
  free(fs);
}

shoal_status shoal_furniture_check(const shoal_furnenv *env, shoal_diag *d, shoal_furnstate **out)
{
  *out = NULL;
  if (!env->map->furn) {
    shoal_schema sch = {.d = d};
    shoal_schema_furniture(&sch, NULL, env->map);
  }
  struct shoal_furnstate *fs = calloc(1, sizeof *fs);
  if (fs)
    fs->glabels = calloc(SHOAL_GRAT_MAX_LABELS, sizeof *fs->glabels);
  if (fs)
    fs->tc = shoal_textctx_new(env->view.scale);
  if (!fs || !fs->glabels || !fs->tc || !env->map->furn) {
    shoal_furniture_free(fs);
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory preparing the furniture");
    return SHOAL_ERR_NOMEM;
  }
  *out = fs;
  fs->env = *env;
  double top, bottom, s = env->view.scale;
  shoal_furniture_bands(env->map, &top, &bottom);
  fs->frame = (shoal_box){0, top * s, env->view.width, env->view.height - bottom * s};
  const shoal_furnspec *f = fs->env.map->furn;
  double ang = 0;
  bool known = north_angle(fs, &ang);
  fs->north_angle = known ? ang : 0;
  fs->north_shown = f->north.show == SHOAL_TRI_ON || (f->north.show == SHOAL_TRI_AUTO && known &&
                                                      fabs(ang) * 180 / M_PI > NORTH_MIN);
  return shoal_inset_prepare(fs, d);
}

static bool append(char **buf, size_t *len, size_t *cap, const char *s)
{
  size_t n = strlen(s);
  if (!SHOAL_GROW(buf, cap, *len + n + 1, 64, (size_t)1 << 20))
    return false;
  memcpy(*buf + *len, s, n + 1);
  *len += n;
  return true;
}

/* The credit line of map m drawing layers L[0..n) (NULL entries skipped). */
static char *credit_of(const shoal_map *m, const shoal_layer *const *Ls, size_t n)
{
  char *buf = NULL;
  size_t len = 0, cap = 0;
  char *const *w = m->furn->words;
  if (!append(&buf, &len, &cap, ""))
    return NULL;
  if (m->credit && *m->credit)
    append(&buf, &len, &cap, m->credit);
  bool first = true;
  for (size_t i = 0; i < n; i++) {
    const shoal_layer *L = Ls[i];
    if (!L || !L->visible || !L->attribution || !*L->attribution)
      continue;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++) {
      const shoal_layer *P = Ls[j];
      seen = P && P->visible && P->attribution && strcmp(P->attribution, L->attribution) == 0;
    }
    if (seen)
      continue;
    if (first && len)
      append(&buf, &len, &cap, w[SHOAL_WORD_SENTENCE]);
    append(&buf, &len, &cap, first ? w[SHOAL_WORD_DATA] : w[SHOAL_WORD_SEPARATOR]);
    append(&buf, &len, &cap, L->attribution);
    first = false;
  }
  if (!first)
    append(&buf, &len, &cap, w[SHOAL_WORD_END]);
  return buf;
}

char *shoal_furniture_credit(const shoal_furnenv *env)
{
  const shoal_layer **Ls = calloc(env->nlayers ? env->nlayers : 1, sizeof *Ls);
  if (!Ls)
    return NULL;
  for (size_t i = 0; i < env->nlayers; i++)
    Ls[i] = env->layers[i].layer;
  char *c = credit_of(env->map, Ls, env->nlayers);
  free(Ls);
  return c;
}

/* Height in CSS px of utf8 set at size/weight wrapped at max_w, measured at scale 1. */
static double text_height(shoal_textctx *tc, const shoal_map *m, const char *utf8, double size,
                          int weight, double max_w)
{
  if (!utf8 || !*utf8)
    return 0;
  shoal_font f = {.family = m->font, .size = size, .weight = weight, .max_width = max_w};
  shoal_text *t = shoal_text_new(tc, utf8, &f, m->lang);
  double h = 0;
  if (t)
    shoal_text_size(t, NULL, &h, NULL);
  shoal_text_free(t);
  return h;
}

bool shoal_furniture_bands(const shoal_map *m, double *top, double *bottom)
{
  *top = *bottom = 0;
  if (!m->furn || !m->furn->bands)
    return false;
  shoal_textctx *tc = shoal_textctx_new(1);
  const shoal_layer **Ls = calloc(m->nlayers ? m->nlayers : 1, sizeof *Ls);
  char *credit = NULL;
  if (tc && Ls) {
    for (size_t i = 0; i < m->nlayers; i++)
      Ls[i] = &m->layers[i];
    credit = credit_of(m, Ls, m->nlayers);
    double maxw = m->width - 2 * PAD;
    double th = text_height(tc, m, m->title, 26, 700, maxw);
    double sh = text_height(tc, m, m->subtitle, 15, 400, maxw);
    double ch = text_height(tc, m, credit, 10, 400, maxw);
    /* As title_build and credit_text lay them out, with the band's margins. */
    if (th > 0 || sh > 0)
      *top = PAD + th + (th > 0 ? 2 : 0) + sh + PAD * 0.75;
    if (ch > 0)
      *bottom = ch + 2 * BAND_PAD;
  }
  free(credit);
  free(Ls);
  shoal_textctx_free(tc);
  return true;
}

/* Title and subtitle as laid out; band = the full-width strip behind them (when wanted). */
typedef struct title_block {
  shoal_text *title, *sub;
  double x, y, sub_y;
  shoal_box box;
} title_block;

static bool title_build(const struct shoal_furnstate *fs, title_block *tb)
{
  const shoal_map *m = fs->env.map;
  const shoal_view *v = &fs->env.view;
  double s = v->scale, pad = PAD * s;
  memset(tb, 0, sizeof *tb);
  double maxw = m->width - 2 * PAD;
  tb->x = pad;
  tb->y = pad;
  double y = pad, w = 0;
  if (m->title && *m->title && (tb->title = shoal_furn_text(fs, m->title, 26, 700, maxw))) {
    double tw, th;
    shoal_text_size(tb->title, &tw, &th, NULL);
    y += th + 2 * s;
    w = tw;
  }
  tb->sub_y = y;
  if (m->subtitle && *m->subtitle && (tb->sub = shoal_furn_text(fs, m->subtitle, 15, 400, maxw))) {
    double tw, th;
    shoal_text_size(tb->sub, &tw, &th, NULL);
    y += th;
    w = fmax(w, tw);
  }
  if (!tb->title && !tb->sub)
    return false;
  if (m->furn->bands)
    tb->box = (shoal_box){0, 0, v->width, fs->frame.y0};
  else if (m->furn->title_band)
    tb->box = (shoal_box){0, 0, v->width, y + pad * 0.75};
  else
    tb->box = (shoal_box){pad, pad, pad + w, y};
  return true;
}

static void title_free(title_block *tb)
{
  shoal_text_free(tb->title);
  shoal_text_free(tb->sub);
}

static void title_draw(const struct shoal_furnstate *fs, cairo_t *cr)
{
  title_block tb;
  if (!title_build(fs, &tb)) {
    title_free(&tb);
    return;
  }
  const shoal_furnspec *f = fs->env.map->furn;
  shoal_color halo = fs->env.map->background;
  double hw = 2.5;
  if (f->title_band || f->bands) {
    shoal_color c = f->band_color;
    cairo_save(cr);
    cairo_rectangle(cr, tb.box.x0, tb.box.y0, tb.box.x1 - tb.box.x0, tb.box.y1 - tb.box.y0);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
    shoal_svg_fill(cr, false);
    /* A hairline keeps the band from merging with a pale sea. */
    cairo_move_to(cr, 0, tb.box.y1);
    cairo_line_to(cr, tb.box.x1, tb.box.y1);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.18);
    cairo_set_line_width(cr, 0.6 * fs->env.view.scale);
    cairo_set_dash(cr, NULL, 0, 0);
    shoal_svg_stroke(cr, false);
    cairo_restore(cr);
    hw = 0;
  }
  if (tb.title)
    shoal_text_draw(cr, tb.title, tb.x, tb.y, title_col, halo, hw);
  shoal_svg_group(cr, "the title"); /* editable SVG: the subtitle is a layer of its own */
  if (tb.sub)
    shoal_text_draw(cr, tb.sub, tb.x, tb.sub_y, sub_col, halo, hw * 0.8);
  shoal_svg_group(cr, "the subtitle");
  title_free(&tb);
}

static shoal_text *credit_text(const struct shoal_furnstate *fs, double *x, double *y)
{
  char *credit = shoal_furniture_credit(&fs->env);
  shoal_text *t = NULL;
  if (credit && *credit)
    t = shoal_furn_text(fs, credit, 10, 400, fs->env.map->width - 2 * PAD);
  free(credit);
  if (t) {
    double h, s = fs->env.view.scale;
    shoal_text_size(t, NULL, &h, NULL);
    *x = PAD * s;
    *y = fs->env.map->furn->bands ? fs->frame.y1 + BAND_PAD * s
                                  : fs->env.view.height - PAD * s * 0.6 - h;
  }
  return t;
}

/* The band under the map that holds the credit line (layout: bands), with a hairline on top. */
static void footer_draw(const struct shoal_furnstate *fs, cairo_t *cr)
{
  const shoal_view *v = &fs->env.view;
  shoal_color c = fs->env.map->furn->band_color;
  cairo_save(cr);
  cairo_rectangle(cr, 0, fs->frame.y1, v->width, v->height - fs->frame.y1);
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
  shoal_svg_fill(cr, false);
  cairo_move_to(cr, 0, fs->frame.y1);
  cairo_line_to(cr, v->width, fs->frame.y1);
  cairo_set_source_rgba(cr, 0, 0, 0, 0.18);
  cairo_set_line_width(cr, 0.6 * v->scale);
  cairo_set_dash(cr, NULL, 0, 0);
  shoal_svg_stroke(cr, false);
  cairo_restore(cr);
}

/* Side of the square the north arrow needs at any rotation. */
static double north_side(const struct shoal_furnstate *fs)
{
  double s = fs->env.view.scale, L = fs->env.map->furn->north.size * s;
  return L + 2 * (2 * s + 13 * s);
}

static void north_draw(const struct shoal_furnstate *fs, cairo_t *cr, double x, double y)
{
  double s = fs->env.view.scale, side = north_side(fs), L = fs->env.map->furn->north.size * s;
  double cx = x + side / 2, cy = y + side / 2, w = L * 0.22;
  cairo_save(cr);
  cairo_translate(cr, cx, cy);
  cairo_rotate(cr, fs->north_angle);
  cairo_set_dash(cr, NULL, 0, 0);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  /* Two-tone kite: dark west half, white east half, one outline. */
  for (int half = 0; half < 2; half++) {
    double sx = half ? 1 : -1;
    cairo_move_to(cr, 0, -L / 2);
    cairo_line_to(cr, sx * w, L / 2);
    cairo_line_to(cr, 0, L / 2 - L * 0.22);
    cairo_close_path(cr);
    shoal_color c = half ? white : arrow_col;
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
    shoal_svg_fill(cr, false);
  }
  cairo_move_to(cr, 0, -L / 2);
  cairo_line_to(cr, w, L / 2);
  cairo_line_to(cr, 0, L / 2 - L * 0.22);
  cairo_line_to(cr, -w, L / 2);
  cairo_close_path(cr);
  cairo_set_source_rgba(cr, arrow_col.r, arrow_col.g, arrow_col.b, 1);
  cairo_set_line_width(cr, 0.8 * s);
  shoal_svg_stroke(cr, false);
  shoal_text *t = shoal_furn_text(fs, "N", 11, 700, 0);
  if (t) {
    double tw, th;
    shoal_text_size(t, &tw, &th, NULL);
    /* The letter stays upright, centred beyond the tip. */
    double tx = 0, ty = -L / 2 - 2 * s - th / 2;
    cairo_rotate(cr, -fs->north_angle);
    double c = cos(fs->north_angle), sn = sin(fs->north_angle);
    double rx = tx * c - ty * sn, ry = tx * sn + ty * c;
    shoal_text_draw(cr, t, rx - tw / 2, ry - th / 2, arrow_col, white, 2);
    shoal_text_free(t);
  }
  cairo_restore(cr);
}

static bool overlaps(shoal_box a, shoal_box b)
{
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static bool is_top(shoal_corner c)
{
  return c == SHOAL_CORNER_TOP_LEFT || c == SHOAL_CORNER_TOP_RIGHT;
}
static bool is_middle(shoal_corner c) { return c == SHOAL_CORNER_LEFT || c == SHOAL_CORNER_RIGHT; }

/* Put a w x h box in corner c of the map area fr (or half-way down its left or right edge),
 * then move it inward (a middle one downward) past whatever is already there. */
static shoal_box place(const shoal_view *v, const shoal_box *fr, shoal_corner c, double w, double h,
                       const shoal_box *boxes, size_t n)
{
  double s = v->scale, pad = PAD * s, gap = GAP * s;
  bool left = c == SHOAL_CORNER_TOP_LEFT || c == SHOAL_CORNER_BOTTOM_LEFT || c == SHOAL_CORNER_LEFT;
  bool top = is_top(c) || is_middle(c);
  double x = left ? fr->x0 + pad : fr->x1 - pad - w;
  double y = is_middle(c) ? (fr->y0 + fr->y1 - h) / 2 : top ? fr->y0 + pad : fr->y1 - pad - h;
  shoal_box b = {x, y, x + w, y + h};
  for (size_t iter = 0; iter <= n; iter++) {
    bool moved = false;
    for (size_t i = 0; i < n && !moved; i++) {
      shoal_box o = {boxes[i].x0 - gap, boxes[i].y0 - gap, boxes[i].x1 + gap, boxes[i].y1 + gap};
      if (!overlaps(b, o))
        continue;
      b.y0 = top ? o.y1 : o.y0 - h;
      b.y1 = b.y0 + h;
      moved = true;
    }
    if (!moved)
      break;
  }
  return b;
}

enum { P_INSET, P_LEGEND, P_NORTH, P_SCALEBAR, P_COUNT };

shoal_status shoal_furniture_layout(struct shoal_furnstate *fs, cairo_t *cr, shoal_collide *taken)
{
  (void)cr;
  if (!fs)
    return SHOAL_OK;
  const shoal_furnspec *f = fs->env.map->furn;
  const shoal_view *v = &fs->env.view;
  shoal_box boxes[8];
  size_t n = 0;
  fs->has_title = fs->has_credit = fs->has_legend = fs->has_scalebar = false;
  fs->has_north = fs->has_inset = false;
  title_block tb;
  if ((fs->has_title = title_build(fs, &tb)))
    boxes[n++] = fs->title = tb.box;
  title_free(&tb);
  double cx, cy, cw, ch;
  shoal_text *ct = credit_text(fs, &cx, &cy);
  if (ct) {
    shoal_text_size(ct, &cw, &ch, NULL);
    fs->credit = (shoal_box){cx, cy, cx + cw, cy + ch};
    if (f->bands) /* the whole band: corner pieces stack above it */
      fs->credit = (shoal_box){0, fs->frame.y1, v->width, v->height};
    boxes[n++] = fs->credit;
    fs->has_credit = true;
    shoal_text_free(ct);
  }
  /* Sizes of the corner pieces, then placement: top corners stack downward inset, legend,
   * north arrow, scale bar; bottom corners the same order read upward from the credit line,
   * so the scale bar sits just above the credit; a piece half-way down an edge moves down past
   * what it would touch. */
  double w[P_COUNT] = {0}, h[P_COUNT] = {0};
  bool on[P_COUNT] = {false};
  shoal_corner pos[P_COUNT] = {f->inset.position, f->legend.position, f->north.position,
                               f->scalebar.position};
  on[P_INSET] = fs->inset_src != NULL;
  if (on[P_INSET]) {
    w[P_INSET] = fs->inset_view.width;
    h[P_INSET] = fs->inset_view.height;
  }
  on[P_LEGEND] = f->legend.show && shoal_legend_measure(fs, &w[P_LEGEND], &h[P_LEGEND]);
  on[P_NORTH] = fs->north_shown;
  w[P_NORTH] = h[P_NORTH] = north_side(fs);
  on[P_SCALEBAR] = f->scalebar.show && shoal_scalebar_measure(fs, &w[P_SCALEBAR], &h[P_SCALEBAR]);
  shoal_box *out[P_COUNT] = {&fs->inset, &fs->legend, &fs->north, &fs->scalebar};
  bool *has[P_COUNT] = {&fs->has_inset, &fs->has_legend, &fs->has_north, &fs->has_scalebar};
  /* top corners, then bottom ones, then the middles of the edges, clear of both */
  for (int pass = 0; pass < 3; pass++)
    for (int k = 0; k < P_COUNT; k++) {
      int i = pass == 1 ? P_COUNT - 1 - k : k;
      int want = is_middle(pos[i]) ? 2 : is_top(pos[i]) ? 0 : 1;
      if (!on[i] || want != pass)
        continue;
      *out[i] = place(v, &fs->frame, pos[i], w[i], h[i], boxes, n);
      boxes[n++] = *out[i];
      *has[i] = true;
    }
  shoal_graticule_layout(fs, boxes, n, taken);
  for (size_t i = 0; taken && i < n; i++)
    if (!shoal_collide_add(taken, boxes[i]))
      return SHOAL_ERR_NOMEM;
  fs->laid_out = true;
  return SHOAL_OK;
}

shoal_status shoal_furniture_draw_under(struct shoal_furnstate *fs, cairo_t *cr, shoal_diag *d)
{
  (void)d;
  if (!fs)
    return SHOAL_OK;
  return shoal_graticule_draw(fs, cr);
}

/* Each part is checked for a Cairo error before the next is drawn, so a failure names it. */
shoal_status shoal_furniture_draw(struct shoal_furnstate *fs, cairo_t *cr, shoal_diag *d)
{
  if (!fs)
    return SHOAL_OK;
  const shoal_loc none = {0};
  shoal_status st = SHOAL_OK;
  if (!fs->laid_out && (st = shoal_furniture_layout(fs, cr, NULL)) != SHOAL_OK)
    return st;
  shoal_graticule_draw_labels(fs, cr);
  if ((st = shoal_render_check(cr, d, none, "the graticule labels")) != SHOAL_OK)
    return st;
  title_draw(fs, cr);
  if ((st = shoal_render_check(cr, d, none, "the title")) != SHOAL_OK)
    return st;
  if (fs->has_inset && (st = shoal_inset_draw(fs, cr, fs->inset.x0, fs->inset.y0, d)) != SHOAL_OK)
    return st;
  if ((st = shoal_render_check(cr, d, none, "the inset map")) != SHOAL_OK)
    return st;
  if (fs->has_legend)
    shoal_legend_draw(fs, cr, fs->legend.x0, fs->legend.y0);
  if ((st = shoal_render_check(cr, d, none, "the legend")) != SHOAL_OK)
    return st;
  if (fs->has_scalebar)
    shoal_scalebar_draw(fs, cr, fs->scalebar.x0, fs->scalebar.y0);
  if ((st = shoal_render_check(cr, d, none, "the scale bar")) != SHOAL_OK)
    return st;
  if (fs->has_north)
    north_draw(fs, cr, fs->north.x0, fs->north.y0);
  if ((st = shoal_render_check(cr, d, none, "the north arrow")) != SHOAL_OK)
    return st;
  if (fs->env.map->furn->bands && fs->frame.y1 < fs->env.view.height)
    footer_draw(fs, cr);
  double x, y;
  shoal_text *ct = credit_text(fs, &x, &y);
  if (ct) {
    /* On its band the line needs no halo; on the map it keeps clear of what is under it. */
    shoal_text_draw(cr, ct, x, y, credit_col, fs->env.map->background,
                    fs->env.map->furn->bands ? 0 : 2);
    shoal_text_free(ct);
  }
  fs->laid_out = false; /* the next drawing (another format) lays out again */
  st = shoal_render_check(cr, d, none, "the credit line");
  if (st == SHOAL_OK && shoal_textctx_error(fs->tc)) { /* Pango would not load: no text drawn */
    shoal_diag_error(d, SHOAL_ERR_INTERNAL, NULL, 0, 0, "%s", shoal_textctx_error(fs->tc));
    st = SHOAL_ERR_INTERNAL;
  }
  return st;
}
