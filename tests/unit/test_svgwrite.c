/* The editable SVG writer: named layer groups with XML-safe, unique ids; paths as relative
 * commands rounded to 0.01 px with plain paint attributes, a fill and its stroke joined, paths
 * painted alike sharing one group; clip groups, hatch patterns, escaped text; and nothing of
 * it on a cairo_t without a writer. */
#include <cairo.h>
#include <stdlib.h>

#include "check.h"
#include "config/schema.h"
#include "draw/render.h"
#include "draw/svgwrite.h"

/* Draw with fn on a writer's cairo_t; the document written. Caller frees. */
static char *draw_svg(void (*fn)(cairo_t *cr))
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    return NULL;
  shoal_svg *w = shoal_svg_new(f, 100, 50, 2, "A & B");
  cairo_rectangle_t ext = {0, 0, 200, 100};
  cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
  cairo_t *cr = cairo_create(s);
  shoal_svg_attach(w, cr);
  fn(cr);
  CHECK(shoal_svg_finish(w) == SHOAL_OK);
  shoal_svg_free(w);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  fclose(f);
  return buf;
}

static void draw_groups(cairo_t *cr)
{
  const char *names[] = {"layer 'Zones <A> & \"B\"'", "layer 'zones-a-b'", "layer '2024 data'",
                         "layer 'Đảo'", "the scale bar"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    cairo_rectangle(cr, 1, 1, 2, 2);
    cairo_set_source_rgb(cr, 1, 0, 0);
    shoal_svg_fill(cr, false);
    shoal_svg_group(cr, names[i]);
  }
  shoal_svg_group(cr, "the legend"); /* nothing drawn: no group */
}

static void test_groups(void)
{
  char *s = draw_svg(draw_groups);
  CHECK(s && strstr(s, "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\""));
  CHECK(s && strstr(s, "width=\"75pt\" height=\"37.5pt\" viewBox=\"0 0 200 100\""));
  CHECK(s && strstr(s, "<title>A &amp; B</title>"));
  CHECK(s && strstr(s, "<g id=\"zones-a-b\" inkscape:groupmode=\"layer\" "
                       "inkscape:label=\"Zones &lt;A&gt; &amp; &quot;B&quot;\">"));
  CHECK(s && strstr(s, "<g id=\"zones-a-b-2\" inkscape:groupmode=\"layer\" "
                       "inkscape:label=\"zones-a-b\">"));
  CHECK(s && strstr(s, "<g id=\"l-2024-data\""));
  CHECK(s && strstr(s, "<g id=\"o\" inkscape:groupmode=\"layer\" inkscape:label=\"Đảo\">"));
  CHECK(s && strstr(s, "<g id=\"scale-bar\" inkscape:groupmode=\"layer\" "
                       "inkscape:label=\"scale bar\">"));
  CHECK(s && !strstr(s, "legend"));
  CHECK(s && strstr(s, "<g fill=\"#ff0000\">\n<path d=\"m1 1 2 0 0 2-2 0z\"/>\n</g>"));
  free(s);
}

static void draw_paths(cairo_t *cr)
{
  shoal_style st;
  shoal_style_defaults(&st);
  st.set |= SHOAL_STY_FILL | SHOAL_STY_STROKE;
  st.fill = (shoal_color){0, 0, 1, 0.5};
  st.stroke = (shoal_color){0, 0, 0, 1};
  st.stroke_width = 0.5;
  st.dash[0] = 2, st.dash[1] = 1, st.ndash = 2;
  for (int i = 0; i < 2; i++) {
    cairo_move_to(cr, 10.004 + i, 20.126);
    cairo_line_to(cr, 30.5, 20.126);
    cairo_line_to(cr, 30.5, 40);
    cairo_close_path(cr);
    shoal_polygon_paint(cr, &st, 2);
  }
  shoal_svg_group(cr, "layer 'zones'");
  cairo_rectangle(cr, 0, 0, 10, 10);
  shoal_svg_clip(cr);
  cairo_set_source_rgb(cr, 0, 1, 0);
  shoal_svg_paint(cr);
  shoal_svg_unclip(cr);
  st.set = SHOAL_STY_HATCH;
  st.hatch = (shoal_color){1, 1, 1, 1};
  cairo_rectangle(cr, 0, 0, 10, 10);
  shoal_polygon_paint(cr, &st, 2);
  shoal_svg_group(cr, "the inset map");
}

static void test_paths(void)
{
  char *s = draw_svg(draw_paths);
  /* The fill and its stroke are one path; the two polygons share one group of attributes. */
  const char *run = "<g fill=\"#0000ff\" fill-opacity=\".5\" fill-rule=\"evenodd\" "
                    "stroke=\"#000000\" stroke-width=\"1\" stroke-linejoin=\"round\" "
                    "stroke-dasharray=\"4 2\">\n"
                    "<path d=\"m10 20.13 20.5 0 0 19.87z\"/>\n"
                    "<path d=\"m11 20.13 19.5 0 0 19.87z\"/>\n</g>";
  CHECK(s && strstr(s, run));
  CHECK(s && strstr(s, "<clipPath id=\"clip1\"><path d=\"m0 0 10 0 0 10-10 0z\" "
                       "clip-rule=\"evenodd\"/></clipPath>\n"
                       "<g clip-path=\"url(#clip1)\">\n<rect width=\"200\" height=\"100\" "
                       "fill=\"#00ff00\"/>\n</g>"));
  CHECK(s && strstr(s, "<pattern id=\"hatch2\" patternUnits=\"userSpaceOnUse\" width=\"12\" "
                       "height=\"12\" patternTransform=\"translate(5 5) rotate(-45) "
                       "translate(0 -6)\">"));
  CHECK(s && strstr(s, "fill=\"url(#hatch2)\" fill-rule=\"evenodd\"/>"));
  free(s);
}

/* On any other cairo_t the operations are Cairo's own. */
static void test_plain_cairo(void)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4);
  cairo_t *cr = cairo_create(s);
  CHECK(shoal_svg_of(cr) == NULL);
  cairo_rectangle(cr, 0, 0, 2, 2);
  cairo_set_source_rgb(cr, 1, 0, 0);
  shoal_svg_fill(cr, false);
  CHECK(!cairo_has_current_point(cr));
  shoal_svg_group(cr, "the legend");
  cairo_surface_flush(s);
  const unsigned char *px = cairo_image_surface_get_data(s);
  CHECK(px[2] == 255 && px[3] == 255); /* red, opaque (BGRA) */
  CHECK(!shoal_svg_hatch(cr, (shoal_color){0, 0, 0, 1}, 1, 6, 45));
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}

int main(void)
{
  test_groups();
  test_paths();
  test_plain_cairo();
  return check_done();
}
