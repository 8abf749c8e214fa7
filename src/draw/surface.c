/* PNG/PDF/SVG output with temporary file + rename, so a failed or interrupted render never
 * leaves a partial file nor destroys the previous one; the temporary files' names let a later
 * run remove those that a killed process left. PNG goes through libpng directly: cairo's own
 * writer uses zlib's default level, which dominated render time in MapServer-style pipelines. */
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "draw/surface.h"

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
  bool dropping; /* aborting: PDF/SVG writes are refused rather than written and removed */
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

shoal_status shoal_surface_new(shoal_format fmt, const char *path, int width, int height,
                               double scale, const char *title, shoal_diag *d, shoal_surface **out)
{
  *out = NULL;
  shoal_surface *s = calloc(1, sizeof *s);
  if (!s || !(s->path = shoal_strdup(path))) {
    free(s);
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SHOAL_ERR_NOMEM;
  }
  s->fmt = fmt;
  if (strcmp(path, "-") == 0 && open_stdout(s, d) != SHOAL_OK) {
    free_surface(s);
    return SHOAL_ERR_NOMEM;
  }
  int fd = s->to_stdout ? -1 : shoal_surface_tmp_open(path, &s->tmp);
  if (fd < 0 && !s->to_stdout) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write '%s': %s", path,
                     strerror(errno));
    free_surface(s);
    return SHOAL_ERR_CANTCREAT;
  }
  if (!s->to_stdout)
    s->f = fdopen(fd, "wb");
  if (!s->f) {
    close(fd);
    shoal_surface_abort(s);
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write '%s'", path);
    return SHOAL_ERR_CANTCREAT;
  }
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
  case SHOAL_FMT_SVG:
    s->surf = cairo_svg_surface_create_for_stream(write_stream, s, width * 0.75, height * 0.75);
    break;
  }
  if (cairo_surface_status(s->surf) != CAIRO_STATUS_SUCCESS) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "cannot create a %dx%d surface: %s", dw, dh,
                     cairo_status_to_string(cairo_surface_status(s->surf)));
    shoal_surface_abort(s);
    return SHOAL_ERR_NOMEM;
  }
  s->cr = cairo_create(s->surf);
  if (fmt != SHOAL_FMT_PNG)
    cairo_scale(s->cr, pt, pt);
  *out = s;
  return SHOAL_OK;
}

cairo_t *shoal_surface_cairo(shoal_surface *s) { return s->cr; }

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

typedef struct png_err {
  char msg[200];
} png_err;

static void on_png_error(png_structp png, png_const_charp msg)
{
  png_err *e = png_get_error_ptr(png);
  snprintf(e->msg, sizeof e->msg, "%s", msg);
  png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg) { (void)png, (void)msg; }

shoal_status shoal_png_write(cairo_surface_t *img, FILE *f, int zlevel)
{
  cairo_surface_flush(img);
  int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
  int stride = cairo_image_surface_get_stride(img);
  const unsigned char *data = cairo_image_surface_get_data(img);
  /* An opaque map (the usual case) is written as RGB: a quarter less to compress. */
  bool opaque = true;
  for (int y = 0; y < h && opaque; y++) {
    const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
    for (int x = 0; x < w; x++)
      if ((row[x] >> 24) != 0xff) {
        opaque = false;
        break;
      }
  }
  int ch = opaque ? 3 : 4;
  unsigned char *volatile line = malloc((size_t)w * ch);
  if (!line)
    return SHOAL_ERR_NOMEM;
  png_err err = {""};
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, on_png_error, on_png_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  if (!png || !info) {
    png_destroy_write_struct(&png, &info);
    free(line);
    return SHOAL_ERR_NOMEM;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    free(line);
    return SHOAL_ERR_CANTCREAT;
  }
  png_init_io(png, f);
  png_set_compression_level(png, zlevel);
  /* Flat map colours compress well with the cheap SUB/UP filters; adaptive choice over all
   * five filters costs more time than it saves bytes at this zlib level. */
  png_set_filter(png, 0, PNG_FILTER_SUB | PNG_FILTER_UP);
  png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
               opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < h; y++) {
    const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
    unsigned char *o = line;
    for (int x = 0; x < w; x++) {
      uint32_t p = row[x];
      unsigned a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
      if (!opaque && a && a != 255) { /* cairo stores premultiplied alpha */
        r = (r * 255 + a / 2) / a;
        g = (g * 255 + a / 2) / a;
        b = (b * 255 + a / 2) / a;
      }
      *o++ = (unsigned char)r;
      *o++ = (unsigned char)g;
      *o++ = (unsigned char)b;
      if (!opaque)
        *o++ = (unsigned char)a;
    }
    png_write_row(png, line);
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  free(line);
  return SHOAL_OK;
}

shoal_status shoal_surface_finish(shoal_surface *s, shoal_diag *d)
{
  shoal_status st = SHOAL_OK;
  cairo_destroy(s->cr);
  s->cr = NULL;
  if (s->fmt == SHOAL_FMT_PNG) {
    st = shoal_png_write(s->surf, s->f, 2);
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
