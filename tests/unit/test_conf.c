/* Config loading: YAML to nodes with positions, exact error texts, include merging and cycles,
 * --set overrides, $variables and unused-key warnings. */
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "config/node.h"
#include "scratch.h"

static char paths[64][256];
static int npaths;

/* Write name in the scratch folder and return its full path (kept until the end, when every
 * file written is removed). */
static const char *put_file(const char *name, const char *text)
{
  if (npaths == 64)
    return NULL;
  put(name, text);
  char *p = paths[npaths++];
  snprintf(p, sizeof paths[0], "%s", tpath(name));
  return p;
}

/* Message i as the first line shoal_diag_print writes, with the temp dir removed. */
static char msgbuf[1024];
static const char *msg(const shoal_diag *d, size_t i)
{
  const shoal_msg *m = shoal_diag_get(d, i);
  if (!m)
    return "(no message)";
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  shoal_diag_print_msg(d, m, f);
  fclose(f);
  char *nl = strchr(buf, '\n');
  if (nl)
    *nl = '\0';
  size_t dl = strlen(dir), o = 0;
  for (const char *s = buf; *s && o + 1 < sizeof msgbuf;) {
    if (!strncmp(s, dir, dl) && s[dl] == '/')
      s += dl + 1;
    else
      msgbuf[o++] = *s++;
  }
  msgbuf[o] = '\0';
  free(buf);
  return msgbuf;
}

static shoal_node *parse(const char *text, shoal_diag *d)
{
  return shoal_conf_parse("t.yaml", text, strlen(text), d);
}

/* Scalar at a dotted path of map keys (no marking); NULL when absent or not a scalar. */
static const char *at(shoal_node *n, const char *path)
{
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *seg = buf, *dot; n && seg; seg = dot) {
    dot = strchr(seg, '.');
    if (dot)
      *dot++ = '\0';
    if (n->kind == SHOAL_NODE_SEQ) {
      size_t i = (size_t)(seg[0] - '0');
      n = i < n->n ? n->items[i] : NULL;
    } else {
      shoal_pair *p = shoal_node_find(n, seg);
      n = p ? p->val : NULL;
    }
  }
  return n && n->kind == SHOAL_NODE_SCALAR ? n->str : NULL;
}

static const shoal_node *node_at(shoal_node *n, const char *key)
{
  shoal_pair *p = shoal_node_find(n, key);
  return p ? p->val : NULL;
}

static void test_basics(void)
{
  shoal_diag *d = shoal_diag_new();
  shoal_node *r = parse("# comment\n"
                        "title: Spratly Islands\n"
                        "lang: 'vi'\n"
                        "empty:\n"
                        "nul: ~\n"
                        "qnull: \"null\"\n"
                        "yes: yes\n"
                        "list: [a, \"b\", 3]\n"
                        "base: &b {fill: red, width: 2}\n"
                        "copy: *b\n"
                        "merged:\n"
                        "  <<: *b\n"
                        "  width: 3\n"
                        "block: |\n"
                        "  two\n"
                        "  lines\n",
                        d);
  CHECK(r && r->kind == SHOAL_NODE_MAP && shoal_diag_count(d) == 0);
  if (!r)
    return;
  CHECK(r->n == 11);
  CHECK_STR(at(r, "title"), "Spratly Islands");
  const shoal_node *t = node_at(r, "title");
  CHECK(t->line == 2 && t->col == 8 && !t->quoted);
  CHECK_STR(t->file, "t.yaml");
  CHECK(r->pairs[0].key->line == 2 && r->pairs[0].key->col == 1);
  CHECK(node_at(r, "lang")->quoted);
  CHECK_STR(at(r, "empty"), "");
  CHECK_STR(at(r, "nul"), "");
  CHECK_STR(at(r, "qnull"), "null");
  CHECK(node_at(r, "qnull")->quoted);
  CHECK_STR(at(r, "yes"), "yes"); /* raw text: the reader decides what "yes" means */
  const shoal_node *l = node_at(r, "list");
  CHECK(l->kind == SHOAL_NODE_SEQ && l->n == 3 && l->items[1]->quoted && l->items[2]->col == 16);
  CHECK_STR(at(r, "copy.fill"), "red");
  CHECK_STR(at(r, "merged.fill"), "red");
  CHECK_STR(at(r, "merged.width"), "3");
  CHECK(node_at(r, "merged")->n == 2);
  CHECK_STR(at(r, "block"), "two\nlines\n");

  /* get marks used; find does not; clone is deep */
  CHECK(shoal_node_get(r, "title") == t && r->pairs[0].key->used);
  CHECK(shoal_node_get(r, "nope") == NULL);
  CHECK(shoal_node_get(node_at(r, "list") ? (shoal_node *)node_at(r, "list") : NULL, "x") == NULL);
  shoal_node *c = shoal_node_clone(node_at(r, "merged"));
  CHECK(c && c != node_at(r, "merged") && c->n == 2 &&
        c->pairs[0].key != node_at(r, "merged")->pairs[0].key);
  CHECK_STR(at(c, "width"), "3");
  shoal_node_free(c);
  shoal_node_free(r);

  /* merge keys: a list (earlier wins), explicit keys win, an anchored '<<' value reused */
  r = parse("a: &a {x: 1, y: 1}\n"
            "b: &b {y: 2, z: 2}\n"
            "m:\n  first: 0\n  <<: [*a, *b]\n  x: 9\n"
            "n:\n  <<: &inline {w: 5}\n"
            "o: *inline\n"
            "p: {<<: {}}\n",
            d);
  CHECK(r && shoal_diag_count(d) == 0);
  if (r) {
    const shoal_node *m = node_at(r, "m");
    CHECK(m && m->n == 4);
    CHECK_STR(m && m->n == 4 ? m->pairs[0].key->str : NULL, "first");
    CHECK_STR(m && m->n == 4 ? m->pairs[1].key->str : NULL, "y"); /* spliced where '<<' was */
    CHECK_STR(m && m->n == 4 ? m->pairs[2].key->str : NULL, "z");
    CHECK_STR(m && m->n == 4 ? m->pairs[3].key->str : NULL, "x");
    CHECK_STR(at(r, "m.x"), "9");
    CHECK_STR(at(r, "m.y"), "1");
    CHECK_STR(at(r, "m.z"), "2");
    CHECK_STR(at(r, "n.w"), "5");
    CHECK_STR(at(r, "o.w"), "5");
    CHECK(node_at(r, "p")->n == 0);
  }
  shoal_node_free(r);

  /* Empty text is an empty mapping; a scalar document stays a scalar. */
  r = parse("# nothing\n", d);
  CHECK(r && r->kind == SHOAL_NODE_MAP && r->n == 0);
  shoal_node_free(r);
  r = parse("hello", d);
  CHECK(r && r->kind == SHOAL_NODE_SCALAR);
  shoal_node_free(r);
  CHECK(shoal_diag_count(d) == 0);
  shoal_diag_free(d);
}

/* Parse text and return its first message (status must be data error and result NULL). */
static const char *first_error(const char *text, size_t *count)
{
  static char keep[1024];
  shoal_diag *d = shoal_diag_new();
  shoal_node *r = parse(text, d);
  CHECK(r == NULL);
  CHECK(shoal_diag_nerrors(d) >= 1);
  snprintf(keep, sizeof keep, "%s", msg(d, 0));
  if (count)
    *count = shoal_diag_nerrors(d);
  shoal_node_free(r);
  shoal_diag_free(d);
  return keep;
}

static void test_errors(void)
{
  CHECK_STR(first_error("a: 1\n b: 2\n", NULL),
            "t.yaml:2:3: error: YAML syntax error: mapping values are not allowed in this context");
  CHECK_STR(first_error("a: [1, 2\nc: 3\n", NULL),
            "t.yaml:2:2: error: YAML syntax error: did not find expected ',' or ']' (while "
            "parsing a flow sequence at line 1, column 4)");
  CHECK_STR(first_error("a: \"abc\n", NULL),
            "t.yaml:2:1: error: YAML syntax error: found unexpected end of stream (while "
            "scanning a quoted scalar at line 1, column 4)");
  CHECK_STR(first_error("a:\n\t- b\n", NULL),
            "t.yaml:2:1: error: YAML syntax error: tab character; YAML indents with spaces only");
  CHECK_STR(first_error("a: \xff\n", NULL),
            "t.yaml:1:4: error: bad text encoding: invalid leading UTF-8 octet (byte 0xff)");
  size_t n = 0;
  CHECK_STR(first_error("fill: red\nx:\n  a: 1\n  a: 2\nfill: blue\n", &n),
            "t.yaml:4:3: error: duplicate key 'a' (first defined at line 3)");
  CHECK(n == 2); /* all duplicates reported, not just the first */
  CHECK_STR(first_error("a: *nope\n", NULL),
            "t.yaml:1:4: error: unknown alias '*nope' (no '&nope' before it)");
  CHECK_STR(first_error("a: 1\n---\nb: 2\n", NULL),
            "t.yaml:2:1: error: more than one YAML document (a second '---'); put each map in "
            "its own file");
  CHECK_STR(first_error("? [a, b]\n: 1\n", NULL),
            "t.yaml:1:3: error: a mapping key must be a plain value, not a list");
  CHECK_STR(first_error("a: \"x\\0y\"\n", NULL), "t.yaml:1:4: error: NUL character in a string");
  CHECK_STR(first_error("m:\n  <<: 5\n", NULL),
            "t.yaml:2:7: error: '<<' needs a mapping or a list of mappings");

  /* Nesting: 64 levels are fine, 65 are not. */
  char deep[300];
  memset(deep, '[', 64);
  memset(deep + 64, ']', 64);
  deep[128] = '\0';
  shoal_diag *d = shoal_diag_new();
  shoal_node *r = parse(deep, d);
  CHECK(r != NULL && shoal_diag_count(d) == 0);
  shoal_node_free(r);
  shoal_diag_free(d);
  memset(deep, '[', 65);
  memset(deep + 65, ']', 65);
  deep[130] = '\0';
  CHECK_STR(first_error(deep, NULL), "t.yaml:1:65: error: nesting deeper than 64 levels");

  /* An alias bomb is refused, not expanded. */
  char bomb[2048];
  size_t o = (size_t)snprintf(bomb, sizeof bomb, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
  for (char c = 'b'; c <= 'i'; c++) {
    char p = (char)(c - 1);
    o += (size_t)snprintf(bomb + o, sizeof bomb - o,
                          "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, p,
                          p, p, p, p, p, p, p, p, p);
  }
  d = shoal_diag_new();
  r = parse(bomb, d);
  CHECK(r == NULL && shoal_diag_status(d) == SHOAL_ERR_DATA);
  CHECK(strstr(msg(d, 0), "more than 1000000 nodes") != NULL);
  shoal_node_free(r);
  shoal_diag_free(d);

  /* The full printed form of a syntax error: message, quoted line, caret. */
  d = shoal_diag_new();
  r = parse("page:\n  size: a4\n  margin: [1, 2\n", d);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  shoal_diag_print(d, f, 1);
  fclose(f);
  CHECK_STR(buf, "t.yaml:4:1: error: YAML syntax error: did not find expected ',' or ']' (while "
                 "parsing a flow sequence at line 3, column 11)\n");
  free(buf);
  shoal_diag_free(d);
  d = shoal_diag_new();
  r = parse("page:\n  size: a4\n   margin: 2\n", d);
  buf = NULL;
  f = open_memstream(&buf, &len);
  shoal_diag_print(d, f, 1);
  fclose(f);
  CHECK_STR(buf, "t.yaml:3:10: error: YAML syntax error: mapping values are not allowed in this "
                 "context\n"
                 "    3 |    margin: 2\n"
                 "      |          ^\n");
  free(buf);
  shoal_diag_free(d);
}

static void test_files(void)
{
  shoal_diag *d = shoal_diag_new();
  /* missing file: bare, or at the position that named it */
  CHECK(shoal_conf_load("/nonexistent/x.yaml", d, NULL, 0, 0) == NULL);
  CHECK_STR(msg(d, 0),
            "shoal: error: cannot read '/nonexistent/x.yaml': No such file or directory");
  CHECK(shoal_diag_status(d) == SHOAL_ERR_NOINPUT);
  const char *from = shoal_diag_intern(d, "m.yaml");
  CHECK(shoal_conf_load("/nonexistent/x.yaml", d, from, 3, 10) == NULL);
  CHECK_STR(msg(d, 1),
            "m.yaml:3:10: error: cannot read '/nonexistent/x.yaml': No such file or directory");
  CHECK(shoal_conf_load(dir, d, NULL, 0, 0) == NULL);
  CHECK(strstr(msg(d, 2), "Is a directory") != NULL);
  shoal_diag_free(d);

  /* a real file: positions and the quoted line come from it */
  const char *p = put_file("one.yaml", "a: 1\nb: [x,\n");
  d = shoal_diag_new();
  CHECK(shoal_conf_load(p, d, NULL, 0, 0) == NULL);
  CHECK_STR(msg(d, 0), "one.yaml:3:1: error: YAML syntax error: did not find expected node content "
                       "(while parsing a flow node)");
  shoal_diag_free(d);

  /* over the size cap: a sparse 16 MiB + 1 file */
  p = put_file("big.yaml", "");
  FILE *f = fopen(p, "r+b");
  CHECK(f && ftruncate(fileno(f), (16 << 20) + 1) == 0);
  if (f)
    fclose(f);
  d = shoal_diag_new();
  CHECK(shoal_conf_load(p, d, NULL, 0, 0) == NULL);
  CHECK_STR(msg(d, 0), "big.yaml: error: file is larger than 16 MiB, the limit for a map or "
                       "style file");
  CHECK(shoal_diag_status(d) == SHOAL_ERR_DATA);
  shoal_diag_free(d);
}

static void test_include(void)
{
  put_file("house.yaml", "variables:\n  land: '#f2efe9'\n  sea: '#aad3df'\n"
                         "page: {size: a4, margin: 10}\n"
                         "layers:\n  - name: land\n    fill: $land\n");
  put_file("extra.yaml", "page: {margin: 5, dpi: 300}\nfonts: {body: Noto Sans}\n");
  const char *m = put_file("map.yaml", "include: [house.yaml, ./extra.yaml]\n"
                                       "variables:\n  land: '#eee'\n"
                                       "page:\n  size: a3\n"
                                       "layers:\n  - name: sea\n    fill: $sea\n");
  shoal_diag *d = shoal_diag_new();
  shoal_node *r = shoal_conf_load_map(m, NULL, d);
  CHECK(r != NULL && shoal_diag_count(d) == 0);
  if (!r)
    return;
  CHECK(shoal_node_find(r, "include") == NULL);
  CHECK_STR(at(r, "page.size"), "a3");  /* the includer wins */
  CHECK_STR(at(r, "page.margin"), "5"); /* a later include beats an earlier one */
  CHECK_STR(at(r, "page.dpi"), "300");
  CHECK_STR(at(r, "fonts.body"), "Noto Sans");
  CHECK_STR(at(r, "variables.land"), "#eee");
  CHECK_STR(at(r, "variables.sea"), "#aad3df");
  const shoal_node *layers = node_at(r, "layers");
  CHECK(layers && layers->n == 1); /* sequences are replaced, not merged */
  CHECK_STR(at(r, "layers.0.name"), "sea");
  /* every node keeps the file it came from */
  const shoal_node *pg = node_at(r, "page");
  CHECK(strstr(node_at((shoal_node *)pg, "dpi")->file, "/extra.yaml") != NULL);
  CHECK(strstr(node_at((shoal_node *)pg, "size")->file, "/map.yaml") != NULL);
  CHECK(node_at((shoal_node *)pg, "dpi")->line == 1 && node_at((shoal_node *)pg, "dpi")->col == 24);
  CHECK(shoal_conf_expand_vars(r, d));
  CHECK_STR(at(r, "layers.0.fill"), "#aad3df");
  /* unused keys: one warning per unused subtree, named in its own file */
  shoal_node_get(r, "page");
  shoal_node_get((shoal_node *)node_at(r, "page"), "size");
  shoal_node_get(r, "layers");
  shoal_node_warn_unused(r, d);
  CHECK(shoal_diag_nwarnings(d) == 5 && shoal_diag_nerrors(d) == 0);
  /* margin comes from extra.yaml, which overrode house.yaml's */
  CHECK_STR(msg(d, 0), "extra.yaml:1:8: warning: key 'margin' is not used");
  CHECK_STR(msg(d, 1), "extra.yaml:1:19: warning: key 'dpi' is not used");
  CHECK_STR(msg(d, 2), "map.yaml:7:5: warning: key 'name' is not used");
  CHECK_STR(msg(d, 3), "map.yaml:8:5: warning: key 'fill' is not used");
  CHECK_STR(msg(d, 4), "extra.yaml:2:1: warning: key 'fonts' is not used");
  shoal_node_free(r);
  shoal_diag_free(d);

  /* errors inside an include keep the include's name */
  put_file("broken.yaml", "a: 1\na: 2\n");
  m = put_file("m2.yaml", "include: broken.yaml\n");
  d = shoal_diag_new();
  CHECK(shoal_conf_load_map(m, NULL, d) == NULL);
  CHECK_STR(msg(d, 0), "broken.yaml:2:1: error: duplicate key 'a' (first defined at line 1)");
  shoal_diag_free(d);

  /* missing include: reported at the include line of the including file */
  m = put_file("m3.yaml", "title: x\ninclude:\n  - house.yaml\n  - styles/nope.yaml\n");
  d = shoal_diag_new();
  CHECK(shoal_conf_load_map(m, NULL, d) == NULL);
  CHECK_STR(msg(d, 0), "m3.yaml:4:5: error: cannot find included file 'styles/nope.yaml' (looked "
                       "in 'styles/nope.yaml')");
  CHECK(shoal_diag_status(d) == SHOAL_ERR_NOINPUT && shoal_diag_count(d) == 1);
  shoal_diag_free(d);

  /* cycles, direct and indirect */
  put_file("ca.yaml", "include: cb.yaml\nx: 1\n");
  put_file("cb.yaml", "y: 2\ninclude:\n  - extra.yaml\n  - ./ca.yaml\n");
  d = shoal_diag_new();
  CHECK(shoal_conf_load_map(paths[npaths - 2], NULL, d) == NULL);
  CHECK_STR(msg(d, 0), "cb.yaml:4:5: error: include cycle: ca.yaml -> cb.yaml -> ca.yaml");
  CHECK(shoal_diag_nerrors(d) == 1);
  shoal_diag_free(d);
  m = put_file("self.yaml", "include: self.yaml\n");
  d = shoal_diag_new();
  CHECK(shoal_conf_load_map(m, NULL, d) == NULL);
  CHECK_STR(msg(d, 0), "self.yaml:1:10: error: include cycle: self.yaml -> self.yaml");
  shoal_diag_free(d);

  /* the same file twice (not a cycle) is fine; bad include values are not */
  m = put_file("twice.yaml", "include: [extra.yaml, extra.yaml]\n");
  d = shoal_diag_new();
  r = shoal_conf_load_map(m, NULL, d);
  CHECK(r && shoal_diag_count(d) == 0 && r->n == 2);
  shoal_node_free(r);
  shoal_diag_free(d);
  put_file("list.yaml", "- a\n");
  m = put_file("bad.yaml", "include: [list.yaml, {a: 1}, '']\n");
  d = shoal_diag_new();
  CHECK(shoal_conf_load_map(m, NULL, d) == NULL);
  CHECK_STR(msg(d, 0), "list.yaml:1:1: error: an included file must be a mapping of keys");
  CHECK_STR(msg(d, 1), "bad.yaml:1:22: error: an include must be a file path");
  CHECK_STR(msg(d, 2), "bad.yaml:1:30: error: an include must be a file path");
  shoal_diag_free(d);
  m = put_file("bad2.yaml", "include: {a: 1}\n");
  d = shoal_diag_new();
  CHECK(shoal_conf_load_map(m, NULL, d) == NULL);
  CHECK_STR(msg(d, 0), "bad2.yaml:1:10: error: 'include' must be a file path or a list of paths");
  shoal_diag_free(d);
}

/* Apply one --set; returns its error text or "ok". The diag outlives the tree's nodes, whose
 * file names it holds. */
static shoal_diag *setd;
static const char *set1(shoal_node *root, const char *assignment)
{
  static char keep[512];
  size_t before = shoal_diag_count(setd);
  bool ok = shoal_conf_set(root, assignment, setd);
  snprintf(keep, sizeof keep, "%s", ok ? "ok" : msg(setd, before));
  CHECK(ok == (shoal_diag_count(setd) == before));
  if (!ok)
    CHECK(shoal_diag_get(setd, before)->status == SHOAL_ERR_USAGE);
  return keep;
}

static void test_set(void)
{
  shoal_diag *d = shoal_diag_new();
  setd = d;
  shoal_node *r = parse("lang: en\n"
                        "map:\n  title: Old\n  subtitle:\n"
                        "page: {size: a4}\n"
                        "legend:\n"
                        "layers:\n  - name: land\n    fill: red\n  - name: sea\n    fill: blue\n",
                        d);
  CHECK(r != NULL);
  if (!r)
    return;
  CHECK_STR(set1(r, "lang=vi"), "ok"); /* top level first */
  CHECK_STR(at(r, "lang"), "vi");
  CHECK(shoal_node_find(node_at(r, "map"), "lang") == NULL);
  CHECK_STR(set1(r, "title=Spratly: 2024 #1"), "ok"); /* found under map: ; raw text */
  CHECK_STR(at(r, "map.title"), "Spratly: 2024 #1");
  CHECK_STR(set1(r, "credit=CC BY"), "ok"); /* nowhere: created under map: */
  CHECK_STR(at(r, "map.credit"), "CC BY");
  CHECK_STR(set1(r, "page.size=a3"), "ok");
  CHECK_STR(at(r, "page.size"), "a3");
  CHECK_STR(set1(r, "page.margin.top= 12 "), "ok"); /* creates mappings on the way */
  CHECK_STR(at(r, "page.margin.top"), "12");
  CHECK_STR(set1(r, "legend.title='Key'"), "ok"); /* an empty value becomes a mapping */
  CHECK_STR(at(r, "legend.title"), "Key");
  CHECK(node_at((shoal_node *)node_at(r, "legend"), "title")->quoted);
  CHECK_STR(set1(r, "layers.sea.fill=#fff"), "ok"); /* by name; '#' is not a comment */
  CHECK_STR(at(r, "layers.1.fill"), "#fff");
  CHECK_STR(set1(r, "layers.0.fill=rgb(1,2,3)"), "ok"); /* by index */
  CHECK_STR(at(r, "layers.0.fill"), "rgb(1,2,3)");
  CHECK_STR(set1(r, "page.extent=[100, 5, 120, 20]"), "ok"); /* a flow list */
  const shoal_node *ext = node_at((shoal_node *)node_at(r, "page"), "extent");
  CHECK(ext && ext->kind == SHOAL_NODE_SEQ && ext->n == 4);
  CHECK_STR(ext && ext->n == 4 ? ext->items[3]->str : NULL, "20");
  CHECK_STR(ext ? ext->file : NULL, "--set page.extent");
  CHECK_STR(set1(r, "layers.1={name: ocean}"), "ok"); /* replace a whole item */
  CHECK_STR(at(r, "layers.1.name"), "ocean");
  CHECK_STR(set1(r, "map.subtitle="), "ok");
  CHECK_STR(at(r, "map.subtitle"), "");

  CHECK_STR(set1(r, "lang"), "shoal: error: --set lang: expected key=value");
  CHECK_STR(set1(r, "=x"), "shoal: error: --set =x: empty key before '='");
  CHECK_STR(set1(r, "page..size=1"), "shoal: error: --set page..size: empty path segment");
  CHECK_STR(
      set1(r, "page.size.x=1"),
      "shoal: error: --set page.size.x: 'page.size' is a single value, not a mapping or list");
  CHECK_STR(set1(r, "layers.lnd.fill=red"), "shoal: error: --set layers.lnd.fill: no item named "
                                            "'lnd' in 'layers' (did you mean 'land'?)");
  CHECK_STR(set1(r, "layers.zzz.fill=red"),
            "shoal: error: --set layers.zzz.fill: no item named 'zzz' in 'layers'");
  CHECK_STR(set1(r, "layers.2.fill=red"),
            "shoal: error: --set layers.2.fill: index 2 is out of range ('layers' has 2 items)");
  CHECK_STR(set1(r, "page.extent=[1, 2"),
            "shoal: error: --set page.extent: bad value: YAML syntax error: did not "
            "find expected ',' or ']' (while parsing a flow sequence at line 1, column 1)");
  CHECK_STR(at(r, "layers.0.fill"), "rgb(1,2,3)"); /* failed sets change nothing */
  shoal_node_free(r);

  /* without map:, a new bare key goes to the top level */
  r = parse("page: {size: a4}\n", d);
  CHECK_STR(set1(r, "title=T"), "ok");
  CHECK_STR(at(r, "title"), "T");
  /* the --set's own text is what a later error quotes */
  size_t before = shoal_diag_count(d);
  shoal_node_warn_unused(r, d);
  CHECK_STR(msg(d, before), "t.yaml:1:1: warning: key 'page' is not used");
  CHECK_STR(msg(d, before + 1), "--set title: warning: key 'title' is not used");
  shoal_node_free(r);
  shoal_diag_free(d);
}

static void test_vars(void)
{
  shoal_diag *d = shoal_diag_new();
  shoal_node *r = parse("variables:\n"
                        "  land: '#f2efe9'\n"
                        "  coast: $land\n"
                        "  style: {fill: $land, width: 2}\n"
                        "  names: [a, b]\n"
                        "  unused: {key: 1}\n"
                        "fill: $land\n"
                        "edge: ${coast}\n"
                        "s: $style\n"
                        "l: $names\n"
                        "text: \"Cost $$5, ${land}/${coast} $notvar\"\n"
                        "plain: no dollars\n",
                        d);
  CHECK(r != NULL);
  if (!r)
    return;
  CHECK(shoal_conf_expand_vars(r, d));
  CHECK(shoal_diag_count(d) == 0);
  CHECK_STR(at(r, "fill"), "#f2efe9");
  CHECK(node_at(r, "fill")->quoted && node_at(r, "fill")->line == 2); /* definition's place */
  CHECK_STR(at(r, "edge"), "#f2efe9");
  CHECK_STR(at(r, "s.fill"), "#f2efe9");
  CHECK_STR(at(r, "s.width"), "2");
  CHECK(node_at(r, "l")->kind == SHOAL_NODE_SEQ && node_at(r, "l")->n == 2);
  CHECK_STR(at(r, "text"), "Cost $5, #f2efe9/#f2efe9 $notvar");
  CHECK_STR(at(r, "plain"), "no dollars");
  /* copies are checked for unused keys where they land; definitions are not */
  shoal_node_get(r, "fill");
  shoal_node_get(r, "edge");
  shoal_node_get(r, "l");
  shoal_node_get(r, "text");
  shoal_node_get(r, "plain");
  shoal_node_get((shoal_node *)shoal_node_get(r, "s"), "fill");
  shoal_node_warn_unused(r, d);
  CHECK(shoal_diag_count(d) == 1);
  CHECK_STR(msg(d, 0), "t.yaml:4:24: warning: key 'width' is not used");
  shoal_node_free(r);
  shoal_diag_free(d);

  d = shoal_diag_new();
  r = parse("variables:\n  land: red\n  a: $b\n  b: [$a]\n  loop: $loop\n  lst: [1]\n"
            "x: $lnd\n"
            "y: \"on ${lnd}\"\n"
            "z: $a\n"
            "w: $loop\n"
            "t: 'a ${lst}'\n"
            "u: $nothing_like_it\n",
            d);
  CHECK(r && !shoal_conf_expand_vars(r, d));
  CHECK(shoal_diag_nerrors(d) == 6 && shoal_diag_status(d) == SHOAL_ERR_DATA);
  CHECK_STR(msg(d, 0), "t.yaml:7:4: error: unknown variable '$lnd' (did you mean '$land'?)");
  CHECK_STR(msg(d, 1), "t.yaml:8:8: error: unknown variable '$lnd' (did you mean '$land'?)");
  CHECK_STR(msg(d, 2), "t.yaml:4:7: error: variable cycle: $a -> $b -> $a");
  CHECK_STR(msg(d, 3), "t.yaml:5:9: error: variable cycle: $loop -> $loop");
  CHECK_STR(msg(d, 4),
            "t.yaml:11:7: error: variable '$lst' is a list and cannot be used inside text");
  CHECK_STR(msg(d, 5), "t.yaml:12:4: error: unknown variable '$nothing_like_it'");
  shoal_node_free(r);
  shoal_diag_free(d);

  d = shoal_diag_new();
  r = parse("variables: [a]\nx: 1\n", d);
  CHECK(r && !shoal_conf_expand_vars(r, d));
  CHECK_STR(msg(d, 0), "t.yaml:1:12: error: 'variables' must be a mapping of names to values");
  shoal_node_free(r);
  r = parse("x: $a\n", d);
  CHECK(r && !shoal_conf_expand_vars(r, d));
  CHECK_STR(msg(d, 1), "t.yaml:1:4: error: unknown variable '$a'");
  shoal_node_free(r);
  shoal_diag_free(d);
}

static void test_builders(void)
{
  shoal_node *m = shoal_node_new_map("x", 1, 1);
  for (int i = 0; i < 100; i++) {
    char k[16];
    snprintf(k, sizeof k, "k%d", i);
    CHECK(
        shoal_node_map_add(m, shoal_node_new_scalar("x", i, 1, k), shoal_node_new_seq("x", i, 3)));
  }
  CHECK(m->n == 100 && shoal_node_find(m, "k99") != NULL);
  CHECK(shoal_node_seq_add(shoal_node_find(m, "k5")->val, shoal_node_new_scalar("x", 0, 0, NULL)));
  CHECK_STR(shoal_node_find(m, "k5")->val->items[0]->str, "");
  CHECK(!shoal_node_seq_add(m, shoal_node_new_scalar("x", 0, 0, "wrong kind"))); /* freed */
  shoal_node *c = shoal_node_clone(m);
  CHECK(shoal_node_map_add(c, shoal_node_new_scalar("x", 0, 0, "more"),
                           shoal_node_new_map("x", 0, 0)));
  CHECK(c->n == 101 && m->n == 100);
  shoal_node_free(c);
  shoal_node_free(m);
}

int main(void)
{
  if (!scratch_begin("conf"))
    return 1;
  test_basics();
  test_errors();
  test_files();
  test_include();
  test_set();
  test_vars();
  test_builders();
  scratch_end();
  return check_done();
}
