/* The furniture: section of a map file — title band, legend, scale bar, graticule, north arrow
 * and inset locator — after validation (read by config/schema_furn.c, drawn by draw/). */
#ifndef SHOAL_FURN_MODEL_H
#define SHOAL_FURN_MODEL_H

#include <stdbool.h>

#include "config/model.h"

/* Where on the map a piece of furniture is anchored: a corner, or the middle of the left or
 * right edge (for a map whose corners all hold something the legend must not hide). */
typedef enum shoal_corner {
  SHOAL_CORNER_TOP_LEFT = 0,
  SHOAL_CORNER_TOP_RIGHT = 1,
  SHOAL_CORNER_BOTTOM_LEFT = 2,
  SHOAL_CORNER_BOTTOM_RIGHT = 3,
  SHOAL_CORNER_LEFT = 4,
  SHOAL_CORNER_RIGHT = 5
} shoal_corner;

typedef enum shoal_tristate {
  SHOAL_TRI_AUTO = 0,
  SHOAL_TRI_ON = 1,
  SHOAL_TRI_OFF = 2
} shoal_tristate;

typedef enum shoal_unit { SHOAL_UNIT_KM = 0, SHOAL_UNIT_NMI = 1, SHOAL_UNIT_MI = 2 } shoal_unit;

/* Edges of the frame that carry graticule labels (bits). */
enum {
  SHOAL_EDGE_TOP = 1u << 0,
  SHOAL_EDGE_BOTTOM = 1u << 1,
  SHOAL_EDGE_LEFT = 1u << 2,
  SHOAL_EDGE_RIGHT = 1u << 3
};

/* Words the furniture writes itself, in the map's language (furniture: texts:). */
typedef enum shoal_furnword {
  SHOAL_WORD_DATA = 0,  /* before the attributions: "Data: " */
  SHOAL_WORD_SEPARATOR, /* between attributions: "; " */
  SHOAL_WORD_SENTENCE,  /* between the credit and the attributions: ". " */
  SHOAL_WORD_END,       /* after the attributions: "." */
  SHOAL_WORD_KM,        /* scale-bar unit names */
  SHOAL_WORD_NMI,
  SHOAL_WORD_MI,
  SHOAL_WORD_NORTH, /* graticule hemisphere letters: "5°N", "110°E" */
  SHOAL_WORD_SOUTH,
  SHOAL_WORD_EAST,
  SHOAL_WORD_WEST,
  SHOAL_WORD_COUNT
} shoal_furnword;

typedef struct shoal_furnspec {
  /* Title and subtitle over the map (overlay), or in a band above the map and the credit line
   * in a band below it, the map area shrunk to leave room for both (bands). */
  bool bands;
  char *words[SHOAL_WORD_COUNT]; /* never NULL after loading: built-in for the map's lang */

  /* Title and subtitle: on an opaque band across the top (band colour), or on the map with
   * a halo in the background colour when title_band is false. */
  bool title_band;
  shoal_color band_color;

  struct {
    bool show;
    shoal_corner position;
    char *title;      /* NULL = no heading */
    double max_width; /* CSS px the entry text wraps at */
  } legend;

  struct {
    bool show;
    shoal_corner position;
    shoal_unit units[2]; /* first drawn above the bar, second below */
    int nunits;          /* 1 or 2 */
    double max_length;   /* CSS px of the longest bar; 0 = a quarter of the map width */
  } scalebar;

  struct {
    bool show;
    double step; /* degrees; 0 = chosen from the extent */
    bool labels;
    unsigned edges; /* SHOAL_EDGE_* bits that carry labels first */
    shoal_color color;
    double width; /* CSS px */
    shoal_color label_color;
    double label_size; /* CSS px */
  } graticule;

  struct {
    shoal_tristate show; /* auto = shown when north is not up at the centre */
    shoal_corner position;
    double size; /* CSS px, arrow length */
  } north;

  struct {
    bool show;
    double extent[4]; /* west, south, east, north in degrees */
    shoal_corner position;
    double size[2]; /* CSS px */
    char *crs;      /* inset projection; default EPSG:4326 */
    char *data;     /* land shapefile, resolved relative to the file that named it */
    shoal_loc loc, crs_loc, data_loc;
    shoal_color land, coast, sea, box;
    double box_width; /* CSS px */
  } inset;
} shoal_furnspec;

#endif
