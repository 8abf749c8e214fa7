/* Cairo errors never pass silently: shoal_render_check turns the sticky status of a cairo_t
 * into an error that names what was drawn and, for a style value, the key (65), and any other
 * Cairo failure into an internal error (70). */
#include <cairo.h>

#include "check.h"
#include "draw/render.h"

static const char *first_text(shoal_diag *d)
{
  const shoal_msg *m = shoal_diag_count(d) ? shoal_diag_get(d, 0) : NULL;
  return m ? m->text : "";
}

static void test_dash(void)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 20, 20);
  cairo_t *cr = cairo_create(s);
  shoal_diag *d = shoal_diag_new();
  shoal_loc at = {"map.yaml", 7, 5};
  CHECK(shoal_render_check(cr, d, at, "layer 'land'") == SHOAL_OK);
  CHECK(shoal_diag_count(d) == 0);
  const double zero[2] = {0, 0};
  cairo_set_dash(cr, zero, 2, 0); /* what `dash: [0, 0]` did before it was refused at load */
  CHECK(shoal_render_check(cr, d, at, "layer 'land'") == SHOAL_ERR_DATA);
  CHECK(shoal_diag_status(d) == SHOAL_ERR_DATA);
  CHECK(strstr(first_text(d), "cannot draw layer 'land'") != NULL);
  CHECK(strstr(first_text(d), "'dash'") != NULL);
  const shoal_msg *m = shoal_diag_get(d, 0);
  CHECK(m && m->line == 7 && m->col == 5);
  shoal_diag_free(d);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}

static void test_internal(void)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 20, 20);
  cairo_t *cr = cairo_create(s);
  shoal_diag *d = shoal_diag_new();
  cairo_restore(cr); /* a restore without a save: a bug, not a style value */
  CHECK(shoal_render_check(cr, d, (shoal_loc){0}, "the legend") == SHOAL_ERR_INTERNAL);
  CHECK(strstr(first_text(d), "cannot draw the legend: Cairo error") != NULL);
  shoal_diag_free(d);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}

int main(void)
{
  test_dash();
  test_internal();
  return check_done();
}
