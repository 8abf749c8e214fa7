/* `shoal list`: what a user can name: the maps, batch files and styles along the search path
 * (with their titles), or the place ids of a places shapefile with their names. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "config/node.h"
#include "data/source.h"

enum { K_MAP, K_BATCH, K_STYLE };
#define MAX_ENTRIES 4096 /* more YAML files than any search path holds */

typedef struct entry {
  int kind;
  char *name, *path, *title;
} entry;

typedef struct entries {
  entry *v;
  size_t n, cap;
} entries;

enum { O_PLACES, O_NAMES };

static const shoal_cli_opt list_opts[] = {
    [O_PLACES] = {.lng = "--places",
                  .help =
                      "list the place ids of FILE (default: shapes/places.shp on the search path) "
                      "with their English, Chinese and Vietnamese names"},
    [O_NAMES] = {.lng = "--names",
                 .arg = "KIND",
                 .help = "only the names of KIND (map, batch), for completion",
                 .hidden = true},
};

typedef struct list_args {
  bool places;
  const char *names; /* kind for --names, or NULL */
  const char *file;
} list_args;

static bool ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

/* The map's title: the scalar, or the English (else first) of per-language titles. */
static char *title_of(const shoal_node *root)
{
  const shoal_node *map = shoal_node_get((shoal_node *)root, "map");
  const shoal_node *t =
      map && map->kind == SHOAL_NODE_MAP ? shoal_node_get((shoal_node *)map, "title") : NULL;
  if (t && t->kind == SHOAL_NODE_MAP && t->n) {
    const shoal_node *en = shoal_node_get((shoal_node *)t, "en");
    t = en ? en : t->pairs[0].val;
  }
  return t && t->kind == SHOAL_NODE_SCALAR ? shoal_strdup(t->str) : NULL;
}

/* Classify one YAML file (map: has layers:, batch: has jobs:, else a style) and add it unless
 * a folder earlier on the path had the same name. Unreadable files are skipped. */
static void add_file(entries *es, const char *dir, const char *fname)
{
  char path[4096];
  snprintf(path, sizeof path, "%s%s%s", strcmp(dir, ".") ? dir : "", strcmp(dir, ".") ? "/" : "",
           fname);
  shoal_diag *d = shoal_diag_new();
  shoal_node *root = d ? shoal_conf_load(path, d, NULL, 0, 0) : NULL;
  shoal_diag_free(d);
  if (!root)
    return;
  int kind = K_STYLE;
  if (root->kind == SHOAL_NODE_MAP && shoal_node_find(root, "layers"))
    kind = K_MAP;
  else if (root->kind == SHOAL_NODE_MAP && shoal_node_find(root, "jobs"))
    kind = K_BATCH;
  size_t cut = strlen(fname) - (kind == K_BATCH && ends_with(fname, ".batch.yaml") ? 11 : 5);
  char *name = shoal_strndup(fname, cut);
  bool seen = false;
  for (size_t i = 0; name && i < es->n && !seen; i++)
    seen = es->v[i].kind == kind && !strcmp(es->v[i].name, name);
  if (!name || seen || !SHOAL_GROW(&es->v, &es->cap, es->n + 1, 32, MAX_ENTRIES)) {
    free(name);
    shoal_node_free(root);
    return;
  }
  es->v[es->n++] = (entry){kind, name, shoal_strdup(path), kind == K_MAP ? title_of(root) : NULL};
  shoal_node_free(root);
}

static int by_kind_name(const void *a, const void *b)
{
  const entry *x = a, *y = b;
  return x->kind != y->kind ? x->kind - y->kind : strcmp(x->name, y->name);
}

static int by_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml of one folder, in name order (so the listing does not depend on readdir). */
static void scan_dir(entries *es, const char *dir)
{
  DIR *dp = opendir(dir);
  if (!dp)
    return;
  char **names = NULL;
  size_t n = 0, cap = 0;
  for (struct dirent *e; (e = readdir(dp));) {
    if (e->d_name[0] == '.' || !ends_with(e->d_name, ".yaml"))
      continue;
    char *c = shoal_strdup(e->d_name);
    if (!c || !SHOAL_GROW(&names, &cap, n + 1, 32, MAX_ENTRIES)) {
      free(c);
      break;
    }
    names[n++] = c;
  }
  closedir(dp);
  if (n)
    qsort(names, n, sizeof *names, by_str);
  for (size_t i = 0; i < n; i++) {
    add_file(es, dir, names[i]);
    free(names[i]);
  }
  free(names);
}

static void print_entries(const entries *es, const char *names_of)
{
  static const char *const heads[] = {"maps (shoal render NAME)", "batch files (shoal batch NAME)",
                                      "styles (include: FILE)"};
  static const char *const kinds[] = {"map", "batch", "style"};
  int last = -1;
  for (size_t i = 0; i < es->n; i++) {
    const entry *e = &es->v[i];
    if (names_of) {
      if (!strcmp(names_of, kinds[e->kind]))
        printf("%s\n", e->name);
      continue;
    }
    if (e->kind != last)
      printf("%s%s:\n", last < 0 ? "" : "\n", heads[e->kind]);
    last = e->kind;
    printf("  %-22s %-28s %s\n", e->name, e->title ? e->title : "", e->path);
  }
}

static int list_files(const shoal_cli *cli, const list_args *a)
{
  entries es = {0};
  for (size_t i = 0; i < shoal_searchpath_count(cli->search); i++)
    scan_dir(&es, shoal_searchpath_dir(cli->search, i));
  if (es.n)
    qsort(es.v, es.n, sizeof *es.v, by_kind_name);
  print_entries(&es, a->names);
  if (!es.n && !a->names)
    fputs("shoal: no maps found on the search path (set SHOAL_PATH)\n", stderr);
  for (size_t i = 0; i < es.n; i++) {
    free(es.v[i].name);
    free(es.v[i].path);
    free(es.v[i].title);
  }
  free(es.v);
  return 0;
}

/* Code points of a UTF-8 string, CJK counted twice: its width on a terminal, near enough. */
static int width_of(const char *s)
{
  int w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p & 0xC0) == 0x80)
      continue;
    w += *p >= 0xE3 && *p <= 0xE9 ? 2 : 1;
  }
  return w;
}

static void cell(const char *s, int width)
{
  s = s ? s : "";
  int pad = width - width_of(s);
  printf("%s%*s", s, pad > 1 ? pad : 1, "");
}

static shoal_status print_places(shoal_source *src, shoal_diag *d)
{
  static const char *const fields[] = {"id", "name_en", "name_zh", "name_vi"};
  static const int widths[] = {28, 30, 14, 0};
  int f[4];
  for (int i = 0; i < 4; i++)
    if ((f[i] = shoal_source_field_index(src, fields[i])) < 0) {
      shoal_diag_error(d, SHOAL_ERR_DATA, shoal_source_path(src), 0, 0,
                       "has no '%s' field: not a places file", fields[i]);
      return SHOAL_ERR_DATA;
    }
  cell("id", widths[0]);
  cell("English", widths[1]);
  cell("Chinese", widths[2]);
  printf("Vietnamese\n");
  for (int id = 0; id < shoal_source_count(src); id++) {
    for (int i = 0; i < 4; i++) {
      char *v = shoal_source_attr(src, id, f[i]);
      if (i < 3)
        cell(v, widths[i]);
      else
        printf("%s\n", v ? v : "");
      free(v);
    }
  }
  return SHOAL_OK;
}

static int list_places(const shoal_cli *cli, const list_args *a)
{
  char *tried = NULL;
  char *path = a->file ? shoal_strdup(a->file)
                       : shoal_searchpath_find(cli->search, NULL, "shapes/places.shp", &tried);
  if (!path)
    fprintf(stderr, "shoal: error: cannot find shapes/places.shp: looked for %s\n",
            tried ? tried : "it");
  free(tried);
  if (!path)
    return SHOAL_ERR_NOINPUT;
  shoal_diag *d = shoal_diag_new();
  shoal_source *src = NULL;
  shoal_status st = d ? shoal_source_open(path, d, &src) : SHOAL_ERR_NOMEM;
  if (st == SHOAL_OK)
    st = print_places(src, d);
  shoal_diag_print(d, stderr, 0);
  shoal_source_close(src);
  shoal_diag_free(d);
  free(path);
  return (int)st;
}

static int on_list(const shoal_cli_cmd *cmd, int k, const char *val, void *args)
{
  list_args *a = args;
  if (k == O_PLACES)
    a->places = true;
  else if (k == O_NAMES)
    a->names = val;
  else if (a->file)
    return shoal_cli_usage_error(cmd, "one file at a time (got '%s' too)", val);
  else
    a->file = val;
  return 0;
}

static int parse_list(const shoal_cli_cmd *cmd, const shoal_cli *cli, int argc, char **argv,
                      void *args)
{
  list_args *a = args;
  int rc = shoal_cli_walk(cmd, argc, argv, on_list, a);
  if (rc)
    return rc;
  if (a->file && !a->places)
    return shoal_cli_usage_error(cmd, "a FILE is listed with --places ('%s')", a->file);
  return 0;
}

static int run_list(const shoal_cli *cli, void *args)
{
  const list_args *a = args;
  return a->places ? list_places(cli, a) : list_files(cli, a);
}

const shoal_cli_cmd shoal_cli_list = {
    .name = "list",
    .summary = "list the maps, batch files and styles on the search path, or the places",
    .synopsis = "shoal list\nshoal list --places [FILE.shp]",
    .description =
        "Without options, lists the maps (with their titles; the English one of per-language "
        "titles), batch files and styles found along the search path, the name to give "
        "'render' or 'batch', and the file it finds. A name found in an earlier folder hides "
        "the same name later on the path.\n\n"
        "With --places, lists the place ids that annotations name (marker: {place: ID}) with "
        "their English, Chinese and Vietnamese names.",
    .opts = list_opts,
    .nopts = sizeof list_opts / sizeof list_opts[0],
    .exit_codes = "0   listed\n"
                  "64  usage error\n"
                  "65  FILE is not a places shapefile\n"
                  "66  FILE is missing",
    .examples = {"shoal list", "shoal list --places | grep -i shoal"},
    .positional = SHOAL_COMPLETE_SHP,
    .args_size = sizeof(list_args),
    .parse = parse_list,
    .run = run_list,
};
