/* Private interface between the label modules: label.c (layer labels, state, entry points),
 * label_place.c (the placement pass and drawing of placed text), label_line.c (labels along
 * lines and paths, the obstacle-line index) and annot.c (annotations). */
#ifndef SHOAL_LABEL_PRIV_H
#define SHOAL_LABEL_PRIV_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/label_model.h"
#include "draw/text.h"
#include "label/collide.h"
#include "label/label.h"

typedef enum lp_kind {
  LP_POINT,  /* beside a point, around its marker; may move away with a leader */
  LP_LINE,   /* along a line (path text), slid along it and set beside it */
  LP_AREA,   /* centred on a point, or along a fixed path */
  LP_CALLOUT /* a boxed text joined to a point by a leader */
} lp_kind;

/* One label candidate of the global placement pass. Device px throughout. */
typedef struct lp_item {
  lp_kind kind;
  double prio;
  size_t seq;      /* collection order: breaks priority ties, so placement is deterministic */
  char *text;      /* owned; as written (before transform: upper) */
  const char *tag; /* Pango language tag; borrowed (static or the map's) */
  shoal_font font; /* family borrowed from the model */
  shoal_color color, halo;
  double halo_width; /* CSS px */
  double x, y;       /* anchor */
  double r;          /* marker radius at the anchor, 0 = none */
  double offset;     /* gap between marker edge (or line) and text */
  bool leaders;      /* POINT: may move away with a leader */
  double *path;      /* LINE: visible part of the line; AREA: fixed path (owned) */
  size_t npath;
  double len; /* LINE: length of the stretch before smoothing */
  /* LINE of a label-obstacle layer: its layer (index in the scene + 1; 0 = the line is no
   * obstacle) and the shape ids of its features (owned), whose boxes in lp_lines it may
   * cover. */
  int own_layer;
  int *own_ids;
  size_t nown_ids, cap_own_ids;
  /* CALLOUT */
  int position; /* -1 = try all */
  bool has_anchor;
  double ax, ay; /* anchor offset, device px, y down */
  double dist, gap, pad;
  const shoal_style *box; /* borrowed from the model */
  shoal_color leader;
  double leader_width; /* CSS px */
  /* for messages */
  const char *what;  /* "label", "callout", "area label", ... */
  const char *owner; /* layer name, or NULL for annotations */
  int feat_id;       /* shape id + 1 of the labelled feature; 0 for annotations */
  shoal_loc loc;
  /* result */
  shoal_text *t;
  double w, h; /* text's logical size */
  bool placed;
  bool collides; /* CALLOUT at a fixed position: placed although it overlaps */
  double bx, by; /* top-left of the text (CALLOUT: of the box) */
  bool has_leader;
  double lx0, ly0, lx1, ly1;
  double *ppath; /* placed path for path text (owned) */
  size_t nppath;
} lp_item;

typedef struct lp_list {
  lp_item *v;
  size_t n, cap;
} lp_list;

/* A zeroed new item at the end of l (seq set), or NULL when out of memory / over the cap.
 * Borrowed from l until the next push (the array may move); freed with l. */
lp_item *shoal_lp_push(lp_list *l);
void shoal_lp_free(lp_list *l);

/* Markers already on the map (x, y, radius triples, device px): obstacles, and the size a
 * label must keep clear of when another marker shares its point. */
typedef struct lp_marks {
  double *v;
  size_t n, cap; /* triples */
} lp_marks;

/* Record a marker and put its box into taken. False when out of memory. */
bool shoal_lp_mark(lp_marks *m, shoal_collide *taken, double x, double y, double r);
/* Give every POINT item the radius of the biggest marker drawn at its point (sorts m). */
void shoal_lp_adopt_marks(lp_list *l, lp_marks *m);
void shoal_lp_marks_free(lp_marks *m);

/* The boxes scene.c puts along the lines of label-obstacle layers, each with the feature it
 * belongs to, so that a label along such a line can tell its own line's boxes in the
 * collision index from those of other lines. */
typedef struct lp_linebox {
  shoal_box b;
  int layer, id; /* layer index in the scene + 1, shape id */
} lp_linebox;

typedef struct lp_lines {
  lp_linebox *v;
  size_t n, cap;
  double cell;
  size_t nx, ny;
  size_t *start, *idx; /* grid cell c holds boxes idx[start[c] .. start[c + 1]) */
} lp_lines;

/* The boxes of a segment as shoal_collide_seg_box makes them for scene.c (half-width w, pieces of
 * at most step px). False when out of memory. */
bool shoal_lp_lines_segment(lp_lines *L, double x0, double y0, double x1, double y1, double w,
                            double step, int layer, int id);
/* Build the grid over a w x h page once all boxes are in. False when out of memory. */
bool shoal_lp_lines_index(lp_lines *L, double w, double h, double cell);
void shoal_lp_lines_free(lp_lines *L);

/* The context of one placement pass (label_place.c), shared with label_line.c. */
typedef struct lp_ctx {
  shoal_textctx *tc;
  shoal_collide *taken;  /* what the map put there first: furniture, label-obstacle lines */
  shoal_collide *mine;   /* what this pass put there: markers, distance lines, labels, leaders */
  const lp_lines *lines; /* the obstacle lines in taken, by feature; may be NULL */
  const shoal_view *v;
  double s;        /* device px per CSS px */
  double frame[4]; /* boxes must stay inside */
  /* Records candidates when set (labeldebug.h); else NULL. */
  struct shoal_labeldebug *dbg;
} lp_ctx;

/* Put a placed box into both indexes. False when out of memory. */
bool shoal_lp_claim(const lp_ctx *p, shoal_box b);
/* b lies inside the frame. */
bool shoal_lp_in_frame(const lp_ctx *p, shoal_box b);
/* b lies inside the frame and hits nothing in either index. */
bool shoal_lp_box_free(const lp_ctx *p, shoal_box b);
/* What of the text's logical box may stay out of the box that must be free: space above
 * the capitals, part of the space for descenders; and room for the halo at either side. */
double shoal_lp_top_trim(const lp_item *it, double s);
double shoal_lp_bottom_trim(const lp_item *it);
double shoal_lp_halo_pad(const lp_item *it, double s);
/* LINE items along their line, AREA items along their fixed path (label_line.c). False when
 * out of memory; an item that finds no room stays unplaced. */
bool shoal_lp_place_line(const lp_ctx *p, lp_item *it);
bool shoal_lp_place_area_path(const lp_ctx *p, lp_item *it);

/* Place every item (priority order, then seq), avoiding the boxes in taken (what the map put
 * there before the label pass: furniture, label-obstacle lines) and in mine (what the pass
 * put there: markers, distance lines; may be NULL), and adding the placed ones to both.
 * lines (may be NULL) tells the obstacle lines in taken apart. False when out of memory. */
bool shoal_lp_place(lp_list *l, shoal_textctx *tc, shoal_collide *taken, shoal_collide *mine,
                    const lp_lines *lines, const shoal_view *v);
/* The same, recording every candidate box tried into dbg (labeldebug.h) when it is not NULL. */
bool shoal_lp_place_rec(lp_list *l, shoal_textctx *tc, shoal_collide *taken, shoal_collide *mine,
                        const lp_lines *lines, const shoal_view *v, struct shoal_labeldebug *dbg);
/* label_debug.c: record a candidate box tried for dbg->cur (dbg may be NULL): free, else
 * outside the frame or overlapping. */
void shoal_lp_debug_cand(struct shoal_labeldebug *dbg, shoal_box b, bool free_, bool in_frame);
/* label_debug.c: the results of a finished pass into dbg (NULL: nothing). */
void shoal_lp_debug_results(struct shoal_labeldebug *dbg, const lp_list *l);
/* Leader lines of every placed item. */
void shoal_lp_draw_leaders(lp_list *l, cairo_t *cr, double scale);
/* Callout boxes and text of every placed item. */
void shoal_lp_draw_text(lp_list *l, cairo_t *cr, shoal_textctx *tc, double scale);
/* Add thin boxes along a polyline so labels keep off it. False when out of memory. */
bool shoal_lp_block_line(shoal_collide *taken, const double *xy, size_t n, double halfw);

/* Radius in device px of the marker a style draws, or 0 when it draws none. */
double shoal_lp_marker_radius(const shoal_style *st, double scale);
/* A language tag fit for the text: zh-Hans when it holds Han characters, else tag. The
 * result is static or tag itself: nothing to free. */
const char *shoal_lp_tag_for(const char *text, const char *tag);

#define MAX_CHAIN (SHOAL_MAX_FALLBACK + 1)

typedef struct lbl_layer {
  const shoal_labelspec *spec;
  const shoal_layerctx *sl;
  shoal_template *tpl;
  bool names;           /* the template uses {name_*} */
  bool literal;         /* the template substitutes no field: every feature gets its text */
  int chain[MAX_CHAIN]; /* name fields present in the data, in the order tried */
  const char *tags[MAX_CHAIN];
  size_t nchain;
  const char *tag; /* when no name field decides */
  shoal_label_placement placement;
} lbl_layer;

/* Markers of visible point layers into marks and taken; the label candidates of every
 * visible layer into items, layer by layer in drawing order. Read errors into d. */
shoal_status shoal_lp_collect_layers(struct shoal_labelstate *ls, shoal_collide *taken,
                                     lp_marks *marks, lp_list *items, shoal_diag *d);
/* The boxes scene.c put along the lines of label-obstacle layers, by feature, when some
 * label follows such a line (from the same prepared geometry). */
shoal_status shoal_lp_collect_lines(struct shoal_labelstate *ls, lp_lines *L, shoal_diag *d);

/* Resolved annotation (annot.c). */
typedef struct ann_state {
  const shoal_annot *a;
  bool ok;
  double x, y;     /* at / from, device px */
  double x2, y2;   /* distance: to, device px */
  char *text;      /* expanded text (owned), or NULL */
  const char *tag; /* language tag of text */
  const char *family;
  /* Highlight polygon or circle (POLYGON), area-label path or geodesic line (LINE), in device
   * px, cut at the map's seam or horizon as layers are, so in one part or several (owned). */
  shoal_geom path;
  /* A highlight's outline as lines when the seam or horizon cut its rings (so the cut edges
   * are filled but not stroked), else empty and the rings are stroked (owned). */
  shoal_geom outline;
  shoal_geom clip;               /* highlight `within` box as device-px rings, or empty (owned) */
  const shoal_layerctx *sl;      /* highlight from a layer */
  const shoal_layerctx *mask_sl; /* highlight: outline kept off this layer's polygons */
} ann_state;

struct shoal_labelstate {
  shoal_labelenv env; /* the map, view and layers (borrowed from the scene) */
  shoal_textctx *tc;
  const char *map_tag;
  struct lbl_layer *layers;
  size_t nlayers;
  ann_state *ann;
  size_t nann;
  bool warned;            /* drop warnings go out once, not once per output format */
  size_t placed, dropped; /* labels of the last pass */
  /* Borrowed; records the pass when set (labeldebug.h). */
  struct shoal_labeldebug *dbg;
};

/* The scene layer named name; an unknown name (with a did-you-mean) or a layer without data
 * at this scale is reported at loc and gives NULL. Borrowed from the scene. */
const shoal_layerctx *shoal_annot_find_layer(struct shoal_labelstate *ls, const char *name,
                                             shoal_loc loc, shoal_diag *d);
/* The point (lon/lat) of the coastline of a distance note's `to-coast` polygons nearest to
 * (lon0, lat0), geodesically (annot_coast.c). False, with the reason in d, when the layer is
 * unknown or not polygons, or the selection is empty. */
bool shoal_annot_coast(struct shoal_labelstate *ls, const shoal_annot *a, double lon0, double lat0,
                       double *lon, double *lat, shoal_diag *d);
/* A highlight's `mask` layer (annot_coast.c): it must hold polygons. NULL, with the reason in
 * d, when it is unknown or not polygons. */
const shoal_layerctx *shoal_annot_mask_layer(struct shoal_labelstate *ls, const shoal_annot *a,
                                             shoal_diag *d);
/* The mask of a highlight's `mask:` layer (annot_mask.c): an A8 image of the page, opaque over
 * open sea, clear over the polygons of land (device px) grown by grow_px. Caller frees with
 * cairo_surface_destroy; NULL when out of memory. */
cairo_surface_t *shoal_annot_mask_new(const shoal_view *v, const shoal_geom *land, double grow_px);
/* The path of g's parts (closed rings when rings) cut to the stretches where the mask m is
 * open sea, sampled every device px, as cr's current path (vector). */
void shoal_annot_masked_path(cairo_t *cr, const shoal_geom *g, bool rings, cairo_surface_t *m);
/* Resolve places, texts, fonts and geometry of every annotation. Errors into d. */
shoal_status shoal_annot_prepare(struct shoal_labelstate *ls, shoal_diag *d);
/* Check a font family given in a style; error at its position when unknown. */
void shoal_lp_check_font(struct shoal_labelstate *ls, const shoal_textstyle *ts, shoal_diag *d);
/* Give t the number marks of lang and check that every field it formats as a number
 * ("{area_km2:,.0f}") is a number field of src: an error at loc (column loc.col + map[col-1],
 * map as from shoal_label_expand_names) for one that is not. False after an error. */
bool shoal_lp_template_numbers(shoal_template *t, shoal_source *src, const char *lang,
                               shoal_loc loc, const size_t *map, shoal_diag *d);
/* Annotation markers and distance lines become obstacles in taken; marker labels, callouts,
 * area labels and distance labels become items. False when out of memory. */
bool shoal_annot_collect(struct shoal_labelstate *ls, shoal_collide *taken, lp_marks *marks,
                         lp_list *items);
/* Distance lines (under leaders and text). */
void shoal_annot_draw_lines(struct shoal_labelstate *ls, cairo_t *cr);
/* Annotation markers (over leaders, under text). */
void shoal_annot_draw_markers(struct shoal_labelstate *ls, cairo_t *cr);
void shoal_annot_free(struct shoal_labelstate *ls);

/* Font, colours and halo of an item from a text style (label_collect.c); wrapped lines centred. */
void shoal_lp_item_style(const struct shoal_labelstate *ls, const shoal_textstyle *ts, lp_item *it);

#endif
