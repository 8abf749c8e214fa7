/* What a path given as a shapefile really is: the .shp to open, or a message saying that it is
 * missing, a folder, a YAML or CSV file, a shapefile's .dbf, ... and what was expected. */
#include "data/shp_priv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"

/* Kinds told by the name alone. csv_ok: `shoal import` may read it as CSV text. */
static const struct {
  const char *ext;
  const char *what;
  bool csv_ok;
} by_ext[] = {
    {".yaml", "a YAML file", false},
    {".yml", "a YAML file", false},
    {".csv", "a CSV file", true},
    {".tsv", "a tab-separated text file", true},
    {".txt", "a text file", true},
    {".json", "a JSON file", false},
    {".geojson", "a GeoJSON file", false},
    {".gpkg", "a GeoPackage", false},
    {".kml", "a KML file", false},
    {".kmz", "a zipped KML file", false},
    {".zip", "a ZIP archive", false},
    {".pdf", "a PDF document", false},
    {".png", "a PNG image", false},
    {".svg", "an SVG image", false},
    {".jpg", "a JPEG image", false},
    {".jpeg", "a JPEG image", false},
    {".dbf", "the attribute table (.dbf) of a shapefile", false},
    {".shx", "the record index (.shx) of a shapefile", false},
    {".prj", "the projection (.prj) of a shapefile", false},
    {".cpg", "the code page (.cpg) of a shapefile", false},
    {".qix", "the spatial index (.qix) of a shapefile", false},
};

/* Kinds told by the first bytes, for names with an unknown extension or none. */
static const struct {
  const char *magic;
  size_t len;
  const char *what;
} by_magic[] = {
    {"\x00\x00\x27\x0a", 4, "a shapefile's .shp under a name that does not end in .shp"},
    {"%PDF", 4, "a PDF document"},
    {"\x89PNG", 4, "a PNG image"},
    {"PK\x03\x04", 4, "a ZIP archive"},
    {"SQLite format 3", 16, "an SQLite database (GeoPackage?)"},
    {"<?xml", 5, "an XML file"},
    {"<svg", 4, "an SVG image"},
    {"{", 1, "a JSON file"},
};

static const char *extension(const char *path)
{
  const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
  return dot && (!slash || dot > slash + 1) ? dot : NULL;
}

/* The sidecar hint: "; name its .shp: 'x.shp'" when that file is there. */
static void sidecar_hint(const char *path, const char *ext, char *hint, size_t n)
{
  char *base = shoal_strndup(path, (size_t)(ext - path));
  char *shp = base ? shoal_shp_sidecar(base, ".shp") : NULL;
  if (shp)
    snprintf(hint, n, "; name its .shp instead: '%s'", shp);
  else
    snprintf(hint, n, "; name its .shp instead");
  free(shp);
  free(base);
}

/* The folder hint: "; it holds 3 shapefiles, such as 'shapes/a.shp'" (the first by name). */
static void folder_hint(const char *path, char *hint, size_t n)
{
  DIR *dh = opendir(path);
  if (!dh)
    return;
  char first[256] = "";
  int count = 0;
  const struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len <= 4 || strcasecmp(e->d_name + len - 4, ".shp") != 0 || len >= sizeof first)
      continue;
    count++;
    if (!first[0] || strcmp(e->d_name, first) < 0)
      snprintf(first, sizeof first, "%s", e->d_name);
  }
  closedir(dh);
  size_t pl = strlen(path);
  const char *sep = pl && path[pl - 1] == '/' ? "" : "/";
  if (count == 1)
    snprintf(hint, n, "; it holds one shapefile: '%s%s%s'", path, sep, first);
  else if (count > 1)
    snprintf(hint, n, "; it holds %d shapefiles, such as '%s%s%s'", count, path, sep, first);
}

/* Guess from the first bytes of a regular file. */
static const char *sniff(const char *path, bool *csv_ok)
{
  unsigned char b[512];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return "an unreadable file";
  ssize_t n = read(fd, b, sizeof b);
  close(fd);
  if (n <= 0)
    return n == 0 ? "an empty file" : "an unreadable file";
  for (size_t i = 0; i < sizeof by_magic / sizeof by_magic[0]; i++)
    if ((size_t)n >= by_magic[i].len && !memcmp(b, by_magic[i].magic, by_magic[i].len))
      return by_magic[i].what;
  /* Text a reader could mean as CSV; the read may end inside a character. */
  bool text = !memchr(b, '\0', (size_t)n);
  bool utf8 = false;
  for (size_t cut = 0; text && !utf8 && cut < 4 && cut < (size_t)n; cut++)
    utf8 = shoal_shp_utf8_valid((const char *)b, (size_t)n - cut);
  if (utf8) {
    *csv_ok = true;
    return "a text file";
  }
  return "a file of unknown kind";
}

const char *shoal_shp_describe(const char *path, bool *csv_ok, char *hint, size_t hintsz)
{
  *csv_ok = false;
  hint[0] = '\0';
  struct stat st;
  if (stat(path, &st) != 0)
    return NULL;
  if (S_ISDIR(st.st_mode)) {
    folder_hint(path, hint, hintsz);
    return "a folder";
  }
  if (!S_ISREG(st.st_mode))
    return "a special file (device, pipe or socket)";
  const char *ext = extension(path);
  for (size_t i = 0; ext && i < sizeof by_ext / sizeof by_ext[0]; i++)
    if (!strcasecmp(ext, by_ext[i].ext)) {
      *csv_ok = by_ext[i].csv_ok;
      if (strstr(by_ext[i].what, "of a shapefile"))
        sidecar_hint(path, ext, hint, hintsz);
      else if (!strcasecmp(ext, ".csv"))
        snprintf(hint, hintsz, "; make one from it with `shoal import '%s' -o OUT.shp`", path);
      else if (!strcasecmp(ext, ".zip"))
        snprintf(hint, hintsz, "; unzip it and name the .shp inside");
      return by_ext[i].what;
    }
  const char *what = sniff(path, csv_ok);
  if (!strncmp(what, "a shapefile's", 13))
    snprintf(hint, hintsz, "; give it a name ending in .shp");
  return what;
}

const char *shoal_shp_not(const char *what, const char *other)
{
  if (strstr(what, "of a shapefile"))
    return ", not its .shp";
  if (strstr(what, "does not end in .shp"))
    return "";
  return other;
}

shoal_status shoal_shp_resolve(const char *path, const char *expect, shoal_diag *d, char **shp_path)
{
  char eb[128], hint[4352]; /* room for a path in the hint */
  *shp_path = NULL;
  size_t n = strlen(path);
  bool has_ext = n > 4 && !strcasecmp(path + n - 4, ".shp");
  struct stat st;
  if (stat(path, &st) != 0) {
    int e = errno;
    /* A name without .shp may be the shapefile's base name ("shapes/land_f"). */
    char *with = has_ext ? NULL : shoal_shp_concat(path, ".shp");
    if (with && stat(with, &st) == 0 && S_ISREG(st.st_mode)) {
      *shp_path = with;
      return SHOAL_OK;
    }
    free(with);
    shoal_diag_error(d, SHOAL_ERR_NOINPUT, NULL, 0, 0, "cannot open '%s': %s", path,
                     shoal_shp_errstr(e, eb, sizeof eb));
    return SHOAL_ERR_NOINPUT;
  }
  if (has_ext && S_ISREG(st.st_mode)) {
    *shp_path = shoal_strdup(path);
    return *shp_path ? SHOAL_OK : SHOAL_ERR_NOMEM;
  }
  bool csv_ok;
  const char *what = shoal_shp_describe(path, &csv_ok, hint, sizeof hint);
  if (!what)
    what = "gone"; /* removed since the stat above */
  shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "'%s' is %s%s: %s%s", path, what,
                   shoal_shp_not(what, ", not a shapefile"), expect ? expect : SHOAL_SHP_EXPECT,
                   hint);
  return SHOAL_ERR_DATA;
}
