/* PNG/PDF/SVG output with temporary file + rename, so a failed or interrupted render never
 * leaves a partial file nor destroys the previous one; the temporary files' names let a later
 * run remove those that a killed process left. PNG goes through our own encoder (pngenc.c):
 * cairo's writer uses zlib's default level on one core, which dominated render time. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "draw/surface.h"
#include "draw/pngquant.h"
#include "draw/svgwrite.h"

#include "base/mem.h"
#include "base/tmpfile.h"

struct shoal_surface {
  shoal_format fmt;
  char *path, *tmp;
  FILE *f;
  bool to_stdout; /* path "-": drawn whole into mem (f writes there), then copied to stdout */
  char *mem;
  size_t memlen;
  cairo_surface_t *surf;
  cairo_t *cr;
  shoal_svg *svg; /* the editable SVG's writer (SHOAL_FMT_SVG), else NULL */
  bool dropping;  /* aborting: PDF/SVG writes are refused rather than written and removed */
  int palette;    /* PNG: at most this many colours (8-bit palette PNG), 0 = full colour */
  bool banded;    /* PNG drawn in bands: no page image; written by shoal_surface_draw_bands */
  bool written;   /* banded and written */
  int dw, dh;     /* device px */
  int threads;    /* banded: most workers, 0 = one per core */
  const atomic_int *cancel; /* NULL = never */
};

/* ---------------------------------------------------------------- temporary files */

/* The scheme lives in base/tmpfile.c, shared with the data writers (index, import). */
int shoal_surface_tmp_open(const char *path, char **tmp)
{
  return shoal_tmpfile_open(path, NULL, tmp);
}

size_t shoal_surface_clean_stale(const char *dir) { return shoal_tmpfile_clean_stale(dir); }

/* ---------------------------------------------------------------- surfaces */

bool shoal_format_from_path(const char *path, shoal_format *f)
{
  const char *dot = strrchr(path, '.');
  if (!dot || strchr(dot, '/'))
    return false;
  if (strcasecmp(dot, ".png") == 0)
    *f = SHOAL_FMT_PNG;
  else if (strcasecmp(dot, ".pdf") == 0)
    *f = SHOAL_FMT_PDF;
  else if (strcasecmp(dot, ".svg") == 0)
    *f = SHOAL_FMT_SVG;
  else
    return false;
  return true;
}

bool shoal_format_from_name(const char *name, shoal_format *f)
{
  static const char *const names[] = {"png", "pdf", "svg"};
  static const shoal_format fmts[] = {SHOAL_FMT_PNG, SHOAL_FMT_PDF, SHOAL_FMT_SVG};
  for (size_t i = 0; i < 3; i++)
    if (strcasecmp(name, names[i]) == 0) {
      *f = fmts[i];
      return true;
    }
  return false;
}

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len)
{
  shoal_surface *s = closure;
  return !s->dropping && fwrite(data, 1, len, s->f) == len ? CAIRO_STATUS_SUCCESS
                                                           : CAIRO_STATUS_WRITE_ERROR;
}

static void free_surface(shoal_surface *s)
{
  shoal_svg_free(s->svg);
  if (s->cr)
    cairo_destroy(s->cr);
  if (s->surf)
    cairo_surface_destroy(s->surf);
  if (s->f)
    fclose(s->f);
  free(s->mem);
  free(s->path);
  free(s->tmp);
  free(s);
}

/* Standard output gets the finished file in one piece, never a half-drawn one: the output is
 * written into memory first. */
static shoal_status open_stdout(shoal_surface *s, shoal_diag *d)
{
  s->to_stdout = true;
  if ((s->f = open_memstream(&s->mem, &s->memlen)))
    return SHOAL_OK;
  shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
  return SHOAL_ERR_NOMEM;
}

/* Copy the finished output to standard output; 0 or the errno. */
static int copy_to_stdout(const shoal_surface *s)
{
  errno = 0;
  if (fwrite(s->mem, 1, s->memlen, stdout) != s->memlen || fflush(stdout) != 0)
    return errno ? errno : EIO;
  return 0;
}

/* A new surface writing to path (its temporary file) or standard output; no Cairo surface yet.
 * NULL after reporting the error (*st says which). */
static shoal_surface *open_output(shoal_format fmt, const char *path, shoal_diag *d,
                                  shoal_status *st)
{
  shoal_surface *s = calloc(1, sizeof *s);
  *st = SHOAL_ERR_NOMEM;
  if (!s || !(s->path = shoal_strdup(path))) {
    free(s);
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  s->fmt = fmt;
  if (strcmp(path, "-") == 0 && open_stdout(s, d) != SHOAL_OK) {
    free_surface(s);
    return NULL;
  }
  *st = SHOAL_ERR_CANTCREAT;
  int fd = s->to_stdout ? -1 : shoal_surface_tmp_open(path, &s->tmp);
  if (fd < 0 && !s->to_stdout) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write '%s': %s", path,
                     strerror(errno));
    free_surface(s);
    return NULL;
  }
  if (!s->to_stdout)
    s->f = fdopen(fd, "wb");
  if (!s->f) {
    close(fd);
    shoal_surface_abort(s);
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write '%s'", path);
    return NULL;
  }
  *st = SHOAL_OK;
  return s;
}

shoal_status shoal_surface_new_banded(const char *path, int width, int height, double scale,
                                      shoal_diag *d, shoal_surface **out)
{
  shoal_status st;
  *out = open_output(SHOAL_FMT_PNG, path, d, &st);
  if (!*out)
    return st;
  (*out)->banded = true;
  (*out)->dw = (int)(width * scale + 0.5);
  (*out)->dh = (int)(height * scale + 0.5);
  return SHOAL_OK;
}

void shoal_surface_set_threads(shoal_surface *s, int n) { s->threads = n < 0 ? 0 : n; }

shoal_status shoal_surface_draw_bands(shoal_surface *s, shoal_band_fn draw, void *ctx,
                                      const atomic_int *cancel, shoal_diag *d)
{
  /* libdeflate level 8, as shoal_surface_finish */
  shoal_status st = shoal_png_write_bands(s->dw, s->dh, draw, ctx, cancel, s->f, 8, s->threads, d);
  s->written = st == SHOAL_OK;
  return st;
}

shoal_status shoal_surface_new(shoal_format fmt, const char *path, int width, int height,
                               double scale, const char *title, shoal_diag *d, shoal_surface **out)
{
  shoal_status st;
  *out = NULL;
  shoal_surface *s = open_output(fmt, path, d, &st);
  if (!s)
    return st;
  int dw = (int)(width * scale + 0.5), dh = (int)(height * scale + 0.5);
  /* 1 CSS px = 0.75 pt; drawing code works in device px, so scale the vector page down. */
  double pt = 0.75 / scale;
  switch (fmt) {
  case SHOAL_FMT_PNG: s->surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, dw, dh); break;
  case SHOAL_FMT_PDF:
    s->surf = cairo_pdf_surface_create_for_stream(write_stream, s, width * 0.75, height * 0.75);
    /* A fixed creation date keeps PDFs reproducible. */
    cairo_pdf_surface_set_metadata(s->surf, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(s->surf, CAIRO_PDF_METADATA_CREATOR, "Shoal " SHOAL_VERSION);
    if (title)
      cairo_pdf_surface_set_metadata(s->surf, CAIRO_PDF_METADATA_TITLE, title);
    break;
  case SHOAL_FMT_SVG: {
    /* The writer takes the drawing; Cairo only keeps the path and state (nothing is drawn on
     * this surface, so it stays empty). */
    cairo_rectangle_t ext = {0, 0, dw, dh};
    s->surf = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    s->svg = shoal_svg_new(s->f, width, height, scale, title);
    break;
  }
  case SHOAL_FMT_SVG_OUTLINES:
    s->surf = cairo_svg_surface_create_for_stream(write_stream, s, width * 0.75, height * 0.75);
    break;
  }
  if (cairo_surface_status(s->surf) != CAIRO_STATUS_SUCCESS || (fmt == SHOAL_FMT_SVG && !s->svg)) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "cannot create a %dx%d surface: %s", dw, dh,
                     cairo_status_to_string(cairo_surface_status(s->surf)));
    shoal_surface_abort(s);
    return SHOAL_ERR_NOMEM;
  }
  s->cr = cairo_create(s->surf);
  if (fmt == SHOAL_FMT_SVG && s->svg)
    shoal_svg_attach(s->svg, s->cr);
  else if (fmt != SHOAL_FMT_PNG && fmt != SHOAL_FMT_SVG)
    cairo_scale(s->cr, pt, pt);
  *out = s;
  return SHOAL_OK;
}

cairo_t *shoal_surface_cairo(shoal_surface *s) { return s->cr; }

void shoal_surface_set_palette(shoal_surface *s, int colors) { s->palette = colors; }

void shoal_surface_set_cancel(shoal_surface *s, const atomic_int *cancel) { s->cancel = cancel; }

void shoal_surface_abort(shoal_surface *s)
{
  if (!s)
    return;
  if (s->cr) {
    cairo_destroy(s->cr);
    s->cr = NULL;
  }
  if (s->surf) {
    /* Finishing a PDF/SVG surface writes the document: refuse the writes, it is dropped. */
    s->dropping = true;
    cairo_surface_finish(s->surf);
    cairo_surface_destroy(s->surf);
    s->surf = NULL;
  }
  if (s->f) {
    fclose(s->f);
    s->f = NULL;
  }
  if (s->tmp)
    unlink(s->tmp);
  free_surface(s); /* for "-", nothing reached stdout */
}

shoal_status shoal_surface_finish(shoal_surface *s, shoal_diag *d)
{
  shoal_status st = SHOAL_OK;
  cairo_destroy(s->cr);
  s->cr = NULL;
  if (s->banded) {
    st = s->written ? SHOAL_OK : SHOAL_ERR_CANTCREAT;
  } else if (s->fmt == SHOAL_FMT_PNG) {
    /* libdeflate level 8: on the 2000x2000 overview no larger than MapServer's PNG (zlib 6) */
    st = s->palette ? shoal_pngquant_write(s->surf, s->f, s->palette, 8, NULL)
                    : shoal_png_write(s->surf, s->f, 8);
  } else if (s->fmt == SHOAL_FMT_SVG) {
    st = shoal_svg_finish(s->svg) == SHOAL_OK ? SHOAL_OK : SHOAL_ERR_CANTCREAT;
  } else {
    cairo_surface_finish(s->surf);
    if (cairo_surface_status(s->surf) != CAIRO_STATUS_SUCCESS)
      st = SHOAL_ERR_CANTCREAT;
  }
  cairo_surface_destroy(s->surf);
  s->surf = NULL;
  if (st == SHOAL_OK && (fflush(s->f) != 0 || ferror(s->f)))
    st = SHOAL_ERR_CANTCREAT;
  if (fclose(s->f) != 0 && st == SHOAL_OK)
    st = SHOAL_ERR_CANTCREAT;
  s->f = NULL;
  if (st == SHOAL_OK && s->cancel && atomic_load(s->cancel)) {
    if (s->tmp)
      unlink(s->tmp);
    free_surface(s);
    return SHOAL_ERR_INTERRUPTED;
  }
  if (s->to_stdout) {
    int e = st == SHOAL_OK ? copy_to_stdout(s) : 0;
    if (st != SHOAL_OK || e)
      shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write to standard output: %s",
                       e ? strerror(e) : shoal_status_str(st));
    free_surface(s);
    return st != SHOAL_OK || e ? SHOAL_ERR_CANTCREAT : SHOAL_OK;
  }
  if (st == SHOAL_OK && rename(s->tmp, s->path) != 0)
    st = SHOAL_ERR_CANTCREAT;
  if (st != SHOAL_OK) {
    shoal_diag_error(d, st, NULL, 0, 0, "cannot write '%s': %s", s->path,
                     errno ? strerror(errno) : shoal_status_str(st));
    unlink(s->tmp);
  }
  free_surface(s);
  return st;
}

const char *shoal_surface_cairo_version(void) { return cairo_version_string(); }
