/* Batch file loading: defaults, per-job settings and matrix expansion into concrete jobs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/batchfile.h"

#include "base/mem.h"
#include "config/node.h"
#include "config/schema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_JOBS 100000
#define MAX_AXES 8

static const char *const top_keys[] = {"defaults", "matrix", "jobs"};
static const char *const job_keys[] = {"name", "map",    "output", "formats",
                                       "set",  "matrix", "size",   "scale"};

/* Settings shared by defaults and jobs; a job's own settings replace the defaults'. */
typedef struct settings {
  shoal_node *output;  /* scalar or list of templates */
  shoal_node *formats; /* list */
  shoal_node *set;     /* mapping */
  shoal_node *matrix;  /* mapping key -> list */
  shoal_node *size, *scale;
} settings;

static void read_settings(shoal_schema *sc, shoal_node *m, settings *s)
{
  shoal_node *v;
  if ((v = shoal_node_get(m, "output")))
    s->output = v;
  if ((v = shoal_node_get(m, "formats")) && shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "formats"))
    s->formats = v;
  if ((v = shoal_node_get(m, "set")) && shoal_schema_want(sc, v, SHOAL_NODE_MAP, "set"))
    s->set = v;
  if ((v = shoal_node_get(m, "matrix")) && shoal_schema_want(sc, v, SHOAL_NODE_MAP, "matrix"))
    s->matrix = v;
  if ((v = shoal_node_get(m, "size")))
    s->size = v;
  if ((v = shoal_node_get(m, "scale")))
    s->scale = v;
}

char *shoal_batch_fill(const char *tmpl, const char *const *keys, const char *const *vals, size_t n,
                       size_t *bad)
{
  size_t cap = strlen(tmpl) + 1;
  for (size_t i = 0; i < n; i++)
    cap += strlen(vals[i]) * 4; /* generous: each key may repeat */
  cap += 256;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  size_t o = 0;
  for (const char *p = tmpl; *p;) {
    if (*p != '{') {
      if (o + 1 >= cap)
        goto toolong;
      out[o++] = *p++;
      continue;
    }
    const char *e = strchr(p, '}');
    if (!e) {
      *bad = (size_t)(p - tmpl);
      free(out);
      return NULL;
    }
    size_t kl = (size_t)(e - p - 1);
    size_t k = 0;
    for (; k < n; k++)
      if (strlen(keys[k]) == kl && strncmp(keys[k], p + 1, kl) == 0)
        break;
    if (k == n) {
      *bad = (size_t)(p - tmpl);
      free(out);
      return NULL;
    }
    size_t vl = strlen(vals[k]);
    if (o + vl + 1 >= cap)
      goto toolong;
    memcpy(out + o, vals[k], vl);
    o += vl;
    p = e + 1;
  }
  out[o] = 0;
  return out;
toolong:
  *bad = 0;
  free(out);
  return NULL;
}

bool shoal_batch_in_shard(size_t k, unsigned i, unsigned n)
{
  return n > 0 && i >= 1 && i <= n && k % n == i - 1;
}

/* Append a copy of s to the string array *arr (n used, cap allocated; at most 4096). */
static bool push_str(char ***arr, size_t *n, size_t *cap, const char *s)
{
  char *c = shoal_strdup(s);
  if (!c || !SHOAL_GROW(arr, cap, *n + 1, 4, 4096)) {
    free(c);
    return false;
  }
  (*arr)[(*n)++] = c;
  return true;
}

static void free_job(shoal_batch_job *j)
{
  free(j->name);
  free(j->map);
  for (size_t i = 0; i < j->noutputs; i++)
    free(j->outputs[i]);
  free(j->outputs);
  for (size_t i = 0; i < j->nsets; i++)
    free(j->sets[i]);
  free(j->sets);
}

void shoal_batch_free(shoal_batch *b)
{
  if (!b)
    return;
  for (size_t i = 0; i < b->njobs; i++)
    free_job(&b->jobs[i]);
  free(b->jobs);
  free(b->path);
  free(b);
}

/* "{key}={value}" overrides from a set: mapping (flow lists are written back as [a, b]). */
static void add_sets(shoal_schema *sc, shoal_node *set, shoal_batch_job *j)
{
  for (size_t i = 0; set && i < set->n; i++) {
    shoal_node *k = set->pairs[i].key, *v = set->pairs[i].val;
    char buf[4096];
    if (v->kind == SHOAL_NODE_SCALAR) {
      snprintf(buf, sizeof buf, "%s=%s", k->str, v->str);
    } else if (v->kind == SHOAL_NODE_SEQ) {
      size_t o = (size_t)snprintf(buf, sizeof buf, "%s=[", k->str);
      for (size_t q = 0; q < v->n && o < sizeof buf; q++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", q ? ", " : "",
                              v->items[q]->kind == SHOAL_NODE_SCALAR ? v->items[q]->str : "");
      if (o < sizeof buf)
        snprintf(buf + o, sizeof buf - o, "]");
    } else {
      shoal_schema_err(sc, v, "set: values must be scalars or lists");
      continue;
    }
    v->used = true;
    push_str(&j->sets, &j->nsets, &j->sets_cap, buf);
  }
}

static bool read_size(shoal_schema *sc, shoal_node *v, int *w, int *h)
{
  if (v->kind == SHOAL_NODE_SEQ) {
    double wh[2];
    if (!shoal_schema_nums(sc, v, "size", wh, 2))
      return false;
    if (wh[0] < 16 || wh[1] < 16 || wh[0] > 20000 || wh[1] > 20000) {
      shoal_schema_err(sc, v, "size must be two numbers of pixels from 16 to 20000");
      return false;
    }
    *w = (int)wh[0];
    *h = (int)wh[1];
    return true;
  }
  if (v->kind == SHOAL_NODE_SCALAR && shoal_parse_size(v->str, w, h))
    return true;
  shoal_schema_err(sc, v, "size must be [width, height] or WIDTHxHEIGHT");
  return false;
}

/* Folder of the batch file, with a trailing slash ("" for the current folder). */
static char *folder_of(const char *path)
{
  const char *s = strrchr(path, '/');
  size_t n = s ? (size_t)(s - path) + 1 : 0;
  char *r = malloc(n + 1);
  if (r) {
    memcpy(r, path, n);
    r[n] = 0;
  }
  return r;
}

/* Lexically tidy a path: drop "." parts and fold "name/.." pairs, so names printed and
 * reported read "out/x.png" rather than "styles/../out/x.png". In place. */
static void tidy_path(char *path)
{
  bool abs = path[0] == '/';
  char *parts[512];
  size_t n = 0;
  for (char *q = path; *q && n < 512;) {
    while (*q == '/')
      *q++ = 0;
    if (!*q)
      break;
    char *start = q;
    while (*q && *q != '/')
      q++;
    if (*q)
      *q++ = 0;
    if (strcmp(start, ".") == 0)
      continue;
    if (strcmp(start, "..") == 0 && n > 0 && strcmp(parts[n - 1], "..") != 0) {
      n--;
      continue;
    }
    if (strcmp(start, "..") == 0 && abs)
      continue;
    parts[n++] = start;
  }
  /* Rebuild in a copy: the parts point into path. */
  size_t len = 0;
  char out[4096];
  if (abs)
    out[len++] = '/';
  for (size_t i = 0; i < n; i++) {
    size_t pl = strlen(parts[i]);
    if (len + pl + 2 >= sizeof out)
      break;
    if (i)
      out[len++] = '/';
    memcpy(out + len, parts[i], pl);
    len += pl;
  }
  if (len == 0)
    out[len++] = '.';
  out[len] = 0;
  memcpy(path, out, len + 1);
}

static char *join(const char *dir, const char *p)
{
  size_t a = p[0] == '/' ? 0 : strlen(dir), b = strlen(p);
  if (a + b >= 4000)
    return NULL;
  char *r = malloc(a + b + 2);
  if (r) {
    memcpy(r, dir, a);
    memcpy(r + a, p, b + 1);
    tidy_path(r);
  }
  return r;
}

typedef struct expander {
  shoal_schema *sc;
  shoal_batch *b;
  const char *dir;
  const shoal_searchpath *sp;
  size_t cap;
} expander;

/* A job's map: beside the batch file, else on the search path, else the path beside the
 * batch file (the job then reports that it cannot read it). */
static char *find_map(const expander *x, const char *rel)
{
  char *beside = join(x->dir, rel);
  if (!beside || access(beside, R_OK) == 0 || rel[0] == '/')
    return beside;
  char *found = shoal_searchpath_find(x->sp, NULL, rel, NULL);
  if (!found)
    return beside;
  free(beside);
  tidy_path(found);
  return found;
}

static shoal_batch_job *new_job(expander *x)
{
  if (!SHOAL_GROW(&x->b->jobs, &x->cap, x->b->njobs + 1, 64, MAX_JOBS))
    return NULL;
  shoal_batch_job *j = &x->b->jobs[x->b->njobs++];
  memset(j, 0, sizeof *j);
  return j;
}

static const char *base_name(const char *map, char *buf, size_t n)
{
  const char *s = strrchr(map, '/');
  s = s ? s + 1 : map;
  snprintf(buf, n, "%s", s);
  char *dot = strrchr(buf, '.');
  if (dot && dot != buf)
    *dot = 0;
  return buf;
}

/* A job's outputs: each template x each format, filled with keys/vals (vals[ext_at] is the
 * format's extension). A relative output is relative to the current directory, like
 * `shoal render -o`, not to the batch file: an installed batch file lives in a read-only
 * share/ folder, and its user wants the maps where they run it. */
static void emit_outputs(expander *x, shoal_node *jn, shoal_batch_job *j, const settings *s,
                         const char *name, const char **keys, const char **vals, size_t nk,
                         size_t ext_at)
{
  shoal_schema *sc = x->sc;
  shoal_node *outs = s->output;
  if (!outs) {
    shoal_schema_err(sc, jn, "job '%s' has no output (set 'output' here or in defaults)", name);
    return;
  }
  size_t nt = outs->kind == SHOAL_NODE_SEQ ? outs->n : 1;
  for (size_t t = 0; t < nt; t++) {
    shoal_node *tn = outs->kind == SHOAL_NODE_SEQ ? outs->items[t] : outs;
    if (!shoal_schema_want(sc, tn, SHOAL_NODE_SCALAR, "output"))
      continue;
    bool has_ext = strstr(tn->str, "{ext}") != NULL;
    size_t nf = s->formats && has_ext ? s->formats->n : 1;
    for (size_t f = 0; f < nf; f++) {
      if (s->formats && has_ext) {
        shoal_node *fn = s->formats->items[f];
        static const char *const fmts[] = {"png", "pdf", "svg"};
        if (shoal_schema_enum(sc, fn, "format", fmts, 3) < 0)
          continue;
        vals[ext_at] = fn->str;
      }
      size_t bad = 0;
      char *o = shoal_batch_fill(tn->str, keys, vals, nk, &bad);
      if (!o) {
        shoal_diag_error(sc->d, SHOAL_ERR_DATA, tn->file, tn->line,
                         tn->col + (tn->quoted ? 1 : 0) + (int)bad,
                         "unknown name in output template '%s' (known: map, name, lang, scale, "
                         "ext and the matrix keys)",
                         tn->str);
        continue;
      }
      char *path = join("", o);
      free(o);
      if (path) {
        push_str(&j->outputs, &j->noutputs, &j->outputs_cap, path);
        free(path);
      }
    }
  }
}

/* One concrete job: job node `jn`, effective settings `s`, and the matrix values chosen. */
static void emit(expander *x, shoal_node *jn, const settings *s, shoal_node *mapn,
                 const char *jobname, shoal_node *const *axes, const size_t *pick, size_t naxes)
{
  shoal_schema *sc = x->sc;
  shoal_batch_job *j = new_job(x);
  if (!j) {
    shoal_schema_err(sc, jn, "too many jobs (at most %d)", MAX_JOBS);
    return;
  }
  j->map = find_map(x, mapn->str);
  char mapbase[256];
  base_name(mapn->str, mapbase, sizeof mapbase);
  const char *keys[MAX_AXES + 8], *vals[MAX_AXES + 8];
  size_t nk = 0;
  keys[nk] = "map", vals[nk++] = mapbase;
  keys[nk] = "name", vals[nk++] = jobname ? jobname : mapbase;
  const char *lang = "en", *scale = "1";
  if (s->set) { /* for {lang} in names when lang is set rather than a matrix axis */
    shoal_pair *p = shoal_node_find(s->set, "lang");
    if (p && p->val->kind == SHOAL_NODE_SCALAR)
      lang = p->val->str;
  }
  if (s->scale && shoal_schema_num(sc, s->scale, "scale", 0.1, 8, &j->scale))
    scale = s->scale->str;
  if (s->size)
    read_size(sc, s->size, &j->width, &j->height);
  char name[512];
  size_t no = (size_t)snprintf(name, sizeof name, "%s", jobname ? jobname : mapbase);
  for (size_t a = 0; a < naxes; a++) {
    const char *k = axes[a]->str;
    shoal_node *vn = axes[a + MAX_AXES]->items[pick[a]];
    const char *v = vn->str;
    if (strcmp(k, "lang") == 0) {
      lang = v;
      char buf[256];
      snprintf(buf, sizeof buf, "lang=%s", v);
      push_str(&j->sets, &j->nsets, &j->sets_cap, buf);
    } else if (strcmp(k, "scale") == 0) {
      if (shoal_schema_num(sc, vn, "scale", 0.1, 8, &j->scale))
        scale = v;
    } else if (strcmp(k, "size") == 0) {
      read_size(sc, vn, &j->width, &j->height);
    } else {
      char buf[1024];
      snprintf(buf, sizeof buf, "%s=%s", k, v);
      push_str(&j->sets, &j->nsets, &j->sets_cap, buf);
    }
    if (nk < COUNT(keys) - 3) {
      keys[nk] = k;
      vals[nk++] = v;
    }
    if (no < sizeof name)
      no += (size_t)snprintf(name + no, sizeof name - no, "%s%s=%s", a ? " " : " [", k, v);
  }
  if (naxes && no < sizeof name)
    snprintf(name + no, sizeof name - no, "]");
  j->name = shoal_strdup(name);
  keys[nk] = "lang", vals[nk++] = lang;
  keys[nk] = "scale", vals[nk++] = scale;
  size_t ext_at = nk;
  keys[nk] = "ext", vals[nk++] = "png";
  emit_outputs(x, jn, j, s, name, keys, vals, nk, ext_at);
}

/* Matrix axes: the defaults', with the job's replacing those of the same name. axes[a] is
 * axis a's key node and axes[a + MAX_AXES] its list of values. Returns the number of axes. */
static size_t collect_axes(shoal_schema *sc, shoal_node *dmatrix, shoal_node *jmatrix,
                           shoal_node **axes)
{
  size_t naxes = 0;
  shoal_node *srcs[2] = {dmatrix, jmatrix};
  for (int m = 0; m < 2; m++)
    for (size_t i = 0; srcs[m] && i < srcs[m]->n; i++) {
      shoal_node *k = srcs[m]->pairs[i].key, *v = srcs[m]->pairs[i].val;
      if (!shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "a matrix axis"))
        continue;
      if (v->n == 0) {
        shoal_schema_err(sc, v, "matrix axis '%s' has no values", k->str);
        continue;
      }
      size_t a = 0;
      while (a < naxes && strcmp(axes[a]->str, k->str) != 0)
        a++;
      if (a == naxes) {
        if (naxes == MAX_AXES) {
          shoal_schema_err(sc, k, "at most %d matrix axes", MAX_AXES);
          continue;
        }
        naxes++;
      }
      axes[a] = k;
      axes[a + MAX_AXES] = v;
    }
  return naxes;
}

static void expand_job(expander *x, shoal_node *jn, const settings *defaults)
{
  shoal_schema *sc = x->sc;
  if (!shoal_schema_want(sc, jn, SHOAL_NODE_MAP, "a job"))
    return;
  const char *const *lists[] = {job_keys};
  size_t lens[] = {COUNT(job_keys)};
  shoal_schema_keys(sc, jn, "job", lists, lens, 1);
  settings s = *defaults;
  settings own = {0};
  read_settings(sc, jn, &own);
  if (own.output)
    s.output = own.output;
  if (own.formats)
    s.formats = own.formats;
  if (own.size)
    s.size = own.size;
  if (own.scale)
    s.scale = own.scale;
  shoal_node *mapn = shoal_node_get(jn, "map");
  if (!mapn || !shoal_schema_want(sc, mapn, SHOAL_NODE_SCALAR, "map")) {
    if (!mapn)
      shoal_schema_err(sc, jn, "job needs a 'map' (a map file path)");
    return;
  }
  shoal_node *namen = shoal_node_get(jn, "name");
  const char *jobname = namen && namen->kind == SHOAL_NODE_SCALAR ? namen->str : NULL;
  shoal_node *axes[2 * MAX_AXES];
  size_t naxes = collect_axes(sc, defaults->matrix, own.matrix, axes);
  /* The job's own set: overrides come after the defaults' so they win. */
  settings merged = s;
  merged.set = own.set && shoal_node_find(own.set, "lang") ? own.set : defaults->set;
  size_t pick[MAX_AXES] = {0};
  for (;;) {
    size_t first = x->b->njobs;
    emit(x, jn, &merged, mapn, jobname, axes, pick, naxes);
    if (x->b->njobs > first) {
      shoal_batch_job *j = &x->b->jobs[first];
      /* Defaults' set then the job's, placed before the matrix values. */
      shoal_batch_job tmp = {0};
      add_sets(sc, defaults->set, &tmp);
      add_sets(sc, own.set, &tmp);
      for (size_t q = 0; q < j->nsets; q++)
        push_str(&tmp.sets, &tmp.nsets, &tmp.sets_cap, j->sets[q]);
      for (size_t q = 0; q < j->nsets; q++)
        free(j->sets[q]);
      free(j->sets);
      j->sets = tmp.sets;
      j->nsets = tmp.nsets;
      j->sets_cap = tmp.sets_cap;
    }
    size_t a = 0;
    while (a < naxes && ++pick[a] == axes[a + MAX_AXES]->n)
      pick[a++] = 0;
    if (a == naxes || x->b->njobs >= MAX_JOBS)
      break;
  }
}

shoal_batch *shoal_batch_load(const char *path, const shoal_searchpath *sp, shoal_diag *d)
{
  size_t before = shoal_diag_nerrors(d);
  shoal_node *root = shoal_conf_load(path, d, NULL, 0, 0);
  if (!root)
    return NULL;
  shoal_batch *b = calloc(1, sizeof *b);
  char *dir = folder_of(path);
  if (!b || !dir) {
    free(b);
    free(dir);
    shoal_node_free(root);
    return NULL;
  }
  b->path = shoal_strdup(path);
  shoal_schema sc = {.d = d, .root = root};
  expander x = {.sc = &sc, .b = b, .dir = dir, .sp = sp};
  if (shoal_schema_want(&sc, root, SHOAL_NODE_MAP, "a batch file")) {
    const char *const *lists[] = {top_keys};
    size_t lens[] = {COUNT(top_keys)};
    shoal_schema_keys(&sc, root, "the batch file", lists, lens, 1);
    settings defaults = {0};
    shoal_node *v;
    if ((v = shoal_node_get(root, "defaults")) &&
        shoal_schema_want(&sc, v, SHOAL_NODE_MAP, "defaults")) {
      static const char *const dkeys[] = {"output", "formats", "set", "size", "scale"};
      const char *const *dl[] = {dkeys};
      size_t dn[] = {COUNT(dkeys)};
      shoal_schema_keys(&sc, v, "defaults", dl, dn, 1);
      read_settings(&sc, v, &defaults);
    }
    if ((v = shoal_node_get(root, "matrix")) && shoal_schema_want(&sc, v, SHOAL_NODE_MAP, "matrix"))
      defaults.matrix = v;
    shoal_node *jobs = shoal_node_get(root, "jobs");
    if (!jobs)
      shoal_schema_err(&sc, root, "the batch file needs a 'jobs:' list");
    else if (shoal_schema_want(&sc, jobs, SHOAL_NODE_SEQ, "jobs"))
      for (size_t i = 0; i < jobs->n; i++)
        expand_job(&x, jobs->items[i], &defaults);
  }
  /* Two jobs writing one file would race and the survivor would be arbitrary. */
  for (size_t i = 0; i < b->njobs; i++)
    for (size_t o = 0; o < b->jobs[i].noutputs; o++)
      for (size_t k = i; k < b->njobs; k++)
        for (size_t p = (k == i ? o + 1 : 0); p < b->jobs[k].noutputs; p++)
          if (strcmp(b->jobs[i].outputs[o], b->jobs[k].outputs[p]) == 0) {
            shoal_diag_error(d, SHOAL_ERR_DATA, path, 0, 0,
                             "jobs '%s' and '%s' both write '%s' (add {lang}, {scale} or {ext} "
                             "to the output template)",
                             b->jobs[i].name, b->jobs[k].name, b->jobs[i].outputs[o]);
            goto checked; /* one such report is enough */
          }
checked:
  free(dir);
  shoal_node_free(root);
  if (shoal_diag_nerrors(d) != before) {
    shoal_batch_free(b);
    return NULL;
  }
  return b;
}

bool shoal_batch_is_batch(const char *path)
{
  shoal_diag *d = shoal_diag_new();
  if (!d)
    return false;
  shoal_node *root = shoal_conf_load(path, d, NULL, 0, 0);
  bool is = root && root->kind == SHOAL_NODE_MAP && shoal_node_find(root, "jobs") &&
            !shoal_node_find(root, "layers");
  shoal_node_free(root);
  shoal_diag_free(d);
  return is;
}
