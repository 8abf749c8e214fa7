/* The data-file sub-commands: `shoal info`, `shoal index` and `shoal import`. */
#include "cli/commands.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "data/import.h"
#include "data/source.h"

static const char INFO_USAGE[] = "usage: shoal info FILE.shp...\n";
static const char INDEX_USAGE[] = "usage: shoal index FILE.shp...\n";
static const char IMPORT_USAGE[] =
    "usage: shoal import IN.csv -o OUT.shp [--lon COL] [--lat COL] [--rename OLD=NEW]...\n"
    "                    [--add-field NAME=VALUE]...\n"
    "       shoal import --lines [--group COL] [--order COL] IN.csv -o OUT.shp [...]\n"
    "       shoal import IN.shp -o OUT.shp [--rename OLD=NEW]... [--add-field NAME=VALUE]...\n";

static const char IMPORT_HELP[] =
    "\n"
    "Write a shapefile (.shp .shx .dbf, a .prj and a UTF-8 .cpg) from a CSV file or another\n"
    "shapefile. The output appears only when all of it was written.\n"
    "\n"
    "CSV input is UTF-8 with a header line; '#' lines before the header are comments.\n"
    "Each row is a point (longitude, latitude in WGS84); every other column becomes a DBF\n"
    "field typed from its values (integer, decimal or string).\n"
    "\n"
    "  -o, --output OUT.shp   output shapefile (required)\n"
    "  --lon COL, --lat COL   coordinate columns (default lon, lat)\n"
    "  --lines                one line per group of rows instead of one point per row\n"
    "  --group COL            rows with the same COL value form one line\n"
    "  --order COL            numeric vertex order within a line (default: file order)\n"
    "  --rename OLD=NEW       DBF field name for a column or field (names hold 10 characters)\n"
    "  --add-field NAME=VALUE add a string field holding VALUE in every record\n"
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 done, 64 usage, 65 bad input data, 66 input missing, 73 cannot write.\n";

__attribute__((format(printf, 3, 4))) static int usage_error(const char *cmd, const char *usage,
                                                             const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "shoal %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  fputs(usage, stderr);
  return SHOAL_ERR_USAGE;
}

static bool is_help(const char *a) { return !strcmp(a, "-h") || !strcmp(a, "--help"); }

/* Shared by info and index: every argument is a file; run fn on each, keep going after
 * errors, and exit with the first error's status. */
static int each_file(int argc, char **argv, const char *usage,
                     shoal_status (*fn)(const char *path, bool first, shoal_diag *d))
{
  const char *cmd = argc > 0 ? argv[0] : "?";
  int nfiles = 0;
  bool opts = true;
  for (int i = 1; i < argc; i++) {
    if (opts && !strcmp(argv[i], "--")) {
      opts = false;
      continue;
    }
    if (opts && is_help(argv[i])) {
      fputs(usage, stdout);
      return 0;
    }
    if (opts && argv[i][0] == '-' && argv[i][1])
      return usage_error(cmd, usage, "unknown option '%s'", argv[i]);
    nfiles++;
  }
  if (nfiles == 0)
    return usage_error(cmd, usage, "no file given");
  shoal_status worst = SHOAL_OK;
  bool first = true;
  opts = true;
  for (int i = 1; i < argc; i++) {
    if (opts && !strcmp(argv[i], "--")) {
      opts = false;
      continue;
    }
    shoal_diag *d = shoal_diag_new();
    if (!d) {
      fputs("shoal: error: out of memory\n", stderr);
      return SHOAL_ERR_NOMEM;
    }
    fflush(stdout); /* keep stdout and stderr in file order when both go to a terminal */
    shoal_status st = fn(argv[i], first, d);
    fflush(stdout);
    shoal_diag_print(d, stderr, 1);
    shoal_diag_free(d);
    if (st != SHOAL_OK && worst == SHOAL_OK)
      worst = st;
    first = false;
  }
  return (int)worst;
}

static shoal_status info_one(const char *path, bool first, shoal_diag *d)
{
  if (!first)
    fputc('\n', stdout);
  return shoal_source_print_info(path, stdout, d);
}

static shoal_status index_one(const char *path, bool first, shoal_diag *d)
{
  (void)first;
  shoal_status st = shoal_source_write_index(path, d);
  if (st == SHOAL_OK) {
    size_t n = strlen(path);
    bool ext = n > 4 && (!strcmp(path + n - 4, ".shp") || !strcmp(path + n - 4, ".SHP"));
    printf("%s: wrote %.*s.qix\n", path, (int)(ext ? n - 4 : n), path);
  }
  return st;
}

int shoal_cmd_info(int argc, char **argv) { return each_file(argc, argv, INFO_USAGE, info_one); }

int shoal_cmd_index(int argc, char **argv) { return each_file(argc, argv, INDEX_USAGE, index_one); }

/* Value of option argv[*i] given as "--opt VALUE" or "--opt=VALUE"; NULL when missing. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
  size_t n = strlen(name);
  const char *a = argv[*i];
  if (!strncmp(a, name, n) && a[n] == '=')
    return a + n + 1;
  if (strcmp(a, name) != 0)
    return NULL;
  if (*i + 1 >= argc)
    return NULL;
  return argv[++*i];
}

static bool is_opt(const char *a, const char *name)
{
  size_t n = strlen(name);
  return !strncmp(a, name, n) && (a[n] == '\0' || a[n] == '=');
}

int shoal_cmd_import(int argc, char **argv)
{
  const char *cmd = argc > 0 ? argv[0] : "import";
  shoal_import_opts o;
  memset(&o, 0, sizeof o);
  /* Each repeatable option appears at most argc times. */
  const char **renames = calloc((size_t)argc + 1, sizeof *renames);
  const char **adds = calloc((size_t)argc + 1, sizeof *adds);
  int rc = SHOAL_OK;
  if (!renames || !adds) {
    fputs("shoal: error: out of memory\n", stderr);
    rc = SHOAL_ERR_NOMEM;
    goto done;
  }
  static const char *const valued[] = {"--output", "-o",    "--group",  "--order",
                                       "--lon",    "--lat", "--rename", "--add-field"};
  bool opts = true;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (opts && !strcmp(a, "--")) {
      opts = false;
      continue;
    }
    if (!opts || a[0] != '-' || !a[1]) {
      if (o.in) {
        rc = usage_error(cmd, IMPORT_USAGE, "more than one input file ('%s' and '%s')", o.in, a);
        goto done;
      }
      o.in = a;
      continue;
    }
    if (is_help(a)) {
      fputs(IMPORT_USAGE, stdout);
      fputs(IMPORT_HELP, stdout);
      goto done;
    }
    if (!strcmp(a, "--lines")) {
      o.lines = true;
      continue;
    }
    size_t k = 0;
    while (k < sizeof valued / sizeof valued[0] && !is_opt(a, valued[k]))
      k++;
    if (k == sizeof valued / sizeof valued[0]) {
      rc = usage_error(cmd, IMPORT_USAGE, "unknown option '%s'", a);
      goto done;
    }
    const char *v = opt_value(argc, argv, &i, valued[k]);
    if (!v || !*v) {
      rc = usage_error(cmd, IMPORT_USAGE, "option '%s' needs a value", valued[k]);
      goto done;
    }
    switch (k) {
    case 0:
    case 1: o.out = v; break;
    case 2: o.group = v; break;
    case 3: o.order = v; break;
    case 4: o.lon = v; break;
    case 5: o.lat = v; break;
    case 6: renames[o.nrenames++] = v; break;
    default: adds[o.nadd_fields++] = v; break;
    }
  }
  if (!o.in) {
    rc = usage_error(cmd, IMPORT_USAGE, "no input file given");
    goto done;
  }
  if (!o.out) {
    rc = usage_error(cmd, IMPORT_USAGE, "no output given (-o OUT.shp)");
    goto done;
  }
  o.renames = renames;
  o.add_fields = adds;
  shoal_diag *d = shoal_diag_new();
  if (!d) {
    fputs("shoal: error: out of memory\n", stderr);
    rc = SHOAL_ERR_NOMEM;
    goto done;
  }
  shoal_status st = shoal_import(&o, d);
  shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
  if (st == SHOAL_ERR_USAGE)
    fputs(IMPORT_USAGE, stderr);
  else if (st == SHOAL_OK)
    printf("wrote %s\n", o.out);
  rc = (int)st;
done:
  free(renames);
  free(adds);
  return rc;
}
