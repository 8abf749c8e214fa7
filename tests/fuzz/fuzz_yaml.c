/* Fuzz target: map files through the whole loader (YAML, includes, --set, variables, classes,
 * schema and model), plus the in-memory parser with overrides on the bare tree.
 *
 * Input: the map file, optionally followed by include files, each after a separator line
 * "#--8<--": the first goes to house.yaml, the next to a.yaml, then b.yaml, all beside the
 * map, so seeds can `include: house.yaml` as the article maps do. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "config/node.h"
#include "base/diag.h"
#include "fuzz_util.h"

#define SEP "\n#--8<--\n"

static const char *const include_names[] = {"house.yaml", "a.yaml", "b.yaml"};
#define NINCLUDES (sizeof include_names / sizeof include_names[0])

/* Overrides applied to the parsed tree: mapping keys, sequence index by number and by name,
 * a flow sequence value and a variable. */
static const char *const tree_sets[] = {"map.title=Fuzz", "layers.0.fill=#123456",
                                        "layers.land.stroke-width=2", "map.extent=[1, 2, 3, 4]",
                                        "variables.sea=red"};
/* The override the full load gets (harmless for style files without layers). */
static const char *const load_sets[] = {"map.title=Fuzz"};

static const uint8_t *find_sep(const uint8_t *p, const uint8_t *end)
{
  size_t n = sizeof SEP - 1;
  for (; (size_t)(end - p) >= n; p++)
    if (*p == SEP[0] && !memcmp(p, SEP, n))
      return p;
  return NULL;
}

/* The map part alone through the in-memory parser, then overrides and variables on the bare
 * tree. The text is an exact-size copy without a NUL, so reading past len shows under ASan. */
static void parse_only(const uint8_t *data, size_t size)
{
  const uint8_t *s = find_sep(data, data + size);
  if (s)
    size = (size_t)(s - data);
  char *text = malloc(size ? size : 1);
  shoal_diag *d = shoal_diag_new();
  if (!text || !d) {
    free(text);
    shoal_diag_free(d);
    return;
  }
  memcpy(text, data, size);
  shoal_node *root = shoal_conf_parse("fuzz.yaml", text, size, d);
  if (root) {
    for (size_t i = 0; i < sizeof tree_sets / sizeof tree_sets[0]; i++)
      shoal_conf_set(root, tree_sets[i], d);
    shoal_conf_expand_vars(root, d);
    shoal_node *copy = shoal_node_clone(root);
    shoal_node_free(copy);
    shoal_node_warn_unused(root, d);
    shoal_node_free(root);
  }
  shoal_diag_print(d, fuzz_msgs(), 1);
  shoal_diag_free(d);
  free(text);
}

static void load_map(const uint8_t *data, size_t size)
{
  const uint8_t *p = data, *end = data + size;
  const uint8_t *s = find_sep(p, end);
  fuzz_write("map.yaml", p, (size_t)((s ? s : end) - p));
  for (size_t i = 0; i < NINCLUDES; i++) {
    if (s) {
      p = s + sizeof SEP - 1;
      s = find_sep(p, end);
      fuzz_write(include_names[i], p, (size_t)((s ? s : end) - p));
    } else {
      fuzz_remove(include_names[i]); /* no state from an earlier input */
    }
  }

  shoal_diag *d = shoal_diag_new();
  if (!d)
    return;
  shoal_map *m =
      shoal_map_load(fuzz_path("map.yaml"), load_sets, sizeof load_sets / sizeof load_sets[0], d);
  shoal_map_free(m);
  shoal_diag_print(d, fuzz_msgs(), 1);
  shoal_diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > (1u << 20)) /* the loader's own 16 MiB cap is tested elsewhere */
    return 0;
  parse_only(data, size);
  load_map(data, size);
  return 0;
}
