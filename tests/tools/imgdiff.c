/* imgdiff: compare two PNGs pixel by pixel with a tolerance, for Shoal's golden-image tests. */

/*
 * Usage:
 *   imgdiff ACTUAL.png EXPECTED.png [--max-diff N] [--max-pixels M] [--diff OUT.png]
 *   imgdiff --size FILE.png
 *
 * Both images are converted to CAIRO_FORMAT_ARGB32 and compared channel by
 * channel on cairo's native premultiplied-alpha values (as cairo's own test
 * suite does); there is no un-premultiplying.  A pixel "differs" when the
 * largest of its four channel differences (A, R, G, B) exceeds N (default 8).
 * The comparison passes when at most M pixels differ (default 0).
 *
 * Exit status: 0 pass, 1 images differ beyond tolerance, 2 usage error,
 * unreadable file, size mismatch or failure to write the diff image.
 *
 * --diff writes an opaque image the size of the inputs: differing pixels in
 * red over a faded grey copy of EXPECTED.  --size prints "W H" of one PNG.
 */

#include <cairo.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_DIFF 8L
#define DEFAULT_MAX_PIXELS 0L

static void usage(void)
{
  fputs("usage: imgdiff ACTUAL.png EXPECTED.png [--max-diff N] [--max-pixels M] [--diff OUT.png]\n"
        "       imgdiff --size FILE.png\n",
        stderr);
}

/* Parses a whole decimal integer in [min, max]; returns 0 on success. */
static int parse_long(const char *opt, const char *s, long min, long max, long *out)
{
  char *end = NULL;
  long v;

  errno = 0;
  v = strtol(s, &end, 10);
  if (s[0] == '\0' || end == s || *end != '\0' || errno == ERANGE || v < min || v > max) {
    fprintf(stderr, "imgdiff: %s: expected an integer from %ld to %ld, got '%s'\n", opt, min, max,
            s);
    return -1;
  }
  *out = v;
  return 0;
}

/* Loads a PNG as an ARGB32 image surface; NULL (after a message) on failure. */
static cairo_surface_t *load_png(const char *path)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png(path);
  cairo_surface_t *img;
  cairo_status_t st = cairo_surface_status(png);
  cairo_t *cr;
  int w, h;

  if (st != CAIRO_STATUS_SUCCESS) {
    fprintf(stderr, "imgdiff: cannot read PNG '%s': %s\n", path, cairo_status_to_string(st));
    cairo_surface_destroy(png);
    return NULL;
  }
  w = cairo_image_surface_get_width(png);
  h = cairo_image_surface_get_height(png);

  /* Normalise RGB24/A8/etc. to ARGB32 so every pixel compares the same way. */
  img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create(img);
  cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_surface(cr, png, 0, 0);
  cairo_paint(cr);
  st = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_destroy(png);
  if (st == CAIRO_STATUS_SUCCESS)
    st = cairo_surface_status(img);
  if (st != CAIRO_STATUS_SUCCESS) {
    fprintf(stderr, "imgdiff: cannot convert '%s': %s\n", path, cairo_status_to_string(st));
    cairo_surface_destroy(img);
    return NULL;
  }
  cairo_surface_flush(img);
  return img;
}

static unsigned chan(uint32_t px, int shift) { return (px >> shift) & 0xffu; }

static unsigned absdiff(unsigned a, unsigned b) { return a > b ? a - b : b - a; }

static int size_mode(const char *path)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png(path);
  cairo_status_t st = cairo_surface_status(s);

  if (st != CAIRO_STATUS_SUCCESS) {
    fprintf(stderr, "imgdiff: cannot read PNG '%s': %s\n", path, cairo_status_to_string(st));
    cairo_surface_destroy(s);
    return 2;
  }
  printf("%d %d\n", cairo_image_surface_get_width(s), cairo_image_surface_get_height(s));
  cairo_surface_destroy(s);
  return 0;
}

int main(int argc, char **argv)
{
  const char *files[2] = {NULL, NULL};
  const char *diff_path = NULL;
  long max_diff = DEFAULT_MAX_DIFF, max_pixels = DEFAULT_MAX_PIXELS;
  int nfiles = 0;
  cairo_surface_t *act = NULL, *ref = NULL, *dimg = NULL;
  unsigned char *adata, *edata, *ddata = NULL;
  int astride, estride, dstride = 0, w, h, x, y, rc;
  long ndiff = 0;
  unsigned maxd = 0;

  if (argc == 3 && strcmp(argv[1], "--size") == 0)
    return size_mode(argv[2]);

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--max-diff") == 0 || strcmp(a, "--max-pixels") == 0 ||
        strcmp(a, "--diff") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "imgdiff: %s needs a value\n", a);
        usage();
        return 2;
      }
      const char *v = argv[++i];
      if (strcmp(a, "--max-diff") == 0) {
        if (parse_long(a, v, 0, 255, &max_diff) != 0)
          return 2;
      } else if (strcmp(a, "--max-pixels") == 0) {
        if (parse_long(a, v, 0, LONG_MAX, &max_pixels) != 0)
          return 2;
      } else {
        diff_path = v;
      }
    } else if (a[0] == '-' && a[1] == '-') {
      fprintf(stderr, "imgdiff: unknown option '%s'\n", a);
      usage();
      return 2;
    } else if (nfiles < 2) {
      files[nfiles++] = a;
    } else {
      fprintf(stderr, "imgdiff: unexpected argument '%s'\n", a);
      usage();
      return 2;
    }
  }
  if (nfiles != 2) {
    usage();
    return 2;
  }

  act = load_png(files[0]);
  ref = load_png(files[1]);
  if (act == NULL || ref == NULL) {
    rc = 2;
    goto out;
  }
  w = cairo_image_surface_get_width(ref);
  h = cairo_image_surface_get_height(ref);
  if (cairo_image_surface_get_width(act) != w || cairo_image_surface_get_height(act) != h) {
    fprintf(stderr, "imgdiff: size mismatch: '%s' is %d x %d, '%s' is %d x %d\n", files[0],
            cairo_image_surface_get_width(act), cairo_image_surface_get_height(act), files[1], w,
            h);
    rc = 2;
    goto out;
  }

  if (diff_path != NULL) {
    dimg = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    if (cairo_surface_status(dimg) != CAIRO_STATUS_SUCCESS) {
      fprintf(stderr, "imgdiff: cannot create diff image: %s\n",
              cairo_status_to_string(cairo_surface_status(dimg)));
      rc = 2;
      goto out;
    }
    cairo_surface_flush(dimg);
    ddata = cairo_image_surface_get_data(dimg);
    dstride = cairo_image_surface_get_stride(dimg);
  }

  adata = cairo_image_surface_get_data(act);
  edata = cairo_image_surface_get_data(ref);
  astride = cairo_image_surface_get_stride(act);
  estride = cairo_image_surface_get_stride(ref);

  for (y = 0; y < h; y++) {
    const uint32_t *arow = (const uint32_t *)(const void *)(adata + (size_t)y * (size_t)astride);
    const uint32_t *erow = (const uint32_t *)(const void *)(edata + (size_t)y * (size_t)estride);
    uint32_t *drow = ddata ? (uint32_t *)(void *)(ddata + (size_t)y * (size_t)dstride) : NULL;
    for (x = 0; x < w; x++) {
      uint32_t pa = arow[x], pe = erow[x];
      unsigned d = 0;
      for (int shift = 0; shift < 32; shift += 8) {
        unsigned cd = absdiff(chan(pa, shift), chan(pe, shift));
        if (cd > d)
          d = cd;
      }
      if (d > maxd)
        maxd = d;
      if ((long)d > max_diff)
        ndiff++;
      if (drow != NULL) {
        if ((long)d > max_diff) {
          drow[x] = 0xffff0000u;
        } else {
          /* Expected pixel composited over white (premultiplied: c + 255 - a),
           * turned to grey by luma, then faded two thirds of the way to white. */
          unsigned a = chan(pe, 24), inv = 255u - a;
          unsigned r = chan(pe, 16) + inv, g = chan(pe, 8) + inv, b = chan(pe, 0) + inv;
          unsigned luma = (299u * r + 587u * g + 114u * b) / 1000u;
          unsigned grey = 255u - (255u - luma) / 3u;
          drow[x] = 0xff000000u | (grey << 16) | (grey << 8) | grey;
        }
      }
    }
  }

  rc = ndiff <= max_pixels ? 0 : 1;
  printf("imgdiff: %d x %d, %ld pixels differ by more than %ld (max channel difference %u), "
         "allowed %ld\n",
         w, h, ndiff, max_diff, maxd, max_pixels);
  fflush(stdout);

  if (dimg != NULL) {
    cairo_status_t st;
    cairo_surface_mark_dirty(dimg);
    st = cairo_surface_write_to_png(dimg, diff_path);
    if (st != CAIRO_STATUS_SUCCESS) {
      fprintf(stderr, "imgdiff: cannot write diff image '%s': %s\n", diff_path,
              cairo_status_to_string(st));
      rc = 2;
    }
  }

out:
  if (dimg != NULL)
    cairo_surface_destroy(dimg);
  if (act != NULL)
    cairo_surface_destroy(act);
  if (ref != NULL)
    cairo_surface_destroy(ref);
  return rc;
}
