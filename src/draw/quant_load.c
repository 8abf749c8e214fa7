/* libimagequant loaded on first use: only a palette PNG (--png-palette, png_palette in a style)
 * needs it, and linking it made every process map and bind it and the OpenMP runtime it needs
 * (libgomp, whose constructor reads the OMP_ environment) before main(). This
 * file defines the liq_ functions pngquant.c calls, under their own names, as calls through
 * pointers looked up the first time a palette PNG is asked for (shoal_quant_load), so
 * pngquant.c is written against libimagequant.h as before and the compiler checks each
 * signature against its declaration there. A liq_ function used in pngquant.c but missing below
 * still links (the build links libimagequant with --as-needed: it then becomes a start-up
 * dependency again, which tests/cli/test_lazy_libs.sh and bench/startup.sh show). */
#include <libimagequant.h>

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/dynload.h"
#include "draw/quant_load.h"

#ifndef SHOAL_IMAGEQUANT_SONAME
#define SHOAL_IMAGEQUANT_SONAME "libimagequant.so.0"
#endif

/* Every libimagequant function pngquant.c calls: F(return type, name, (parameters),
 * (arguments)) for those that return a value, V(name, (parameters), (arguments)) for void ones.
 * Only pngquant.c calls them, each after shoal_quant_load succeeded. */
// clang-format off
#define SHOAL_LIQ_FUNCS(F, V) \
  F(liq_attr *, liq_attr_create, (void), ()) \
  V(liq_attr_destroy, (liq_attr *attr), (attr)) \
  F(const liq_palette *, liq_get_palette, (liq_result *result), (result)) \
  F(int, liq_get_quantization_quality, (const liq_result *result), (result)) \
  F(double, liq_get_remapping_error, (const liq_result *result), (result)) \
  F(int, liq_get_remapping_quality, (const liq_result *result), (result)) \
  F(liq_error, liq_histogram_add_colors, (liq_histogram *hist, const liq_attr *attr, const liq_histogram_entry entries[], int num_entries, double gamma), (hist, attr, entries, num_entries, gamma)) \
  F(liq_histogram *, liq_histogram_create, (const liq_attr *attr), (attr)) \
  V(liq_histogram_destroy, (liq_histogram *hist), (hist)) \
  F(liq_error, liq_histogram_quantize, (liq_histogram *input_hist, liq_attr *options, liq_result **result_output), (input_hist, options, result_output)) \
  F(liq_image *, liq_image_create_custom, (const liq_attr *attr, liq_image_get_rgba_row_callback *row_callback, void *user_info, int width, int height, double gamma), (attr, row_callback, user_info, width, height, gamma)) \
  V(liq_image_destroy, (liq_image *img), (img)) \
  F(liq_error, liq_image_quantize, (liq_image *input_image, liq_attr *options, liq_result **result_output), (input_image, options, result_output)) \
  V(liq_result_destroy, (liq_result *result), (result)) \
  F(liq_error, liq_set_dithering_level, (liq_result *res, float dither_level), (res, dither_level)) \
  F(liq_error, liq_set_max_colors, (liq_attr *attr, int colors), (attr, colors)) \
  F(liq_error, liq_write_remapped_image, (liq_result *result, liq_image *input_image, void *buffer, size_t buffer_size), (result, input_image, buffer, buffer_size))

// clang-format on

typedef struct liq_api {
  SHOAL_LIQ_FUNCS(SHOAL_DYN_FIELD_F, SHOAL_DYN_FIELD_V)
} liq_api;

static pthread_once_t liq_once = PTHREAD_ONCE_INIT;
/* Written once, under liq_once, then only read, as the dynamic loader's own tables are. */
static liq_api liq;
#define SHOAL_DYN_TABLE liq
static bool liq_loaded;
static char liq_why[512];

static void load_once(void)
{
  const shoal_dynsym syms[] = {SHOAL_LIQ_FUNCS(SHOAL_DYN_SYM_F, SHOAL_DYN_SYM_V)};
  liq_loaded = !shoal_dynload(SHOAL_IMAGEQUANT_SONAME, syms, sizeof syms / sizeof *syms, liq_why,
                              sizeof liq_why);
}

const char *shoal_quant_load(void)
{
  pthread_once(&liq_once, load_once);
  return liq_loaded ? NULL : liq_why;
}

SHOAL_LIQ_FUNCS(SHOAL_DYN_STUB_F, SHOAL_DYN_STUB_V)
