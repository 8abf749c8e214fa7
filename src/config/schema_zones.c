/* A layer's zones: key (computed zones as its data): the inputs resolved like data:, the
 * distances, the states and which result the layer draws. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/node.h"
#include "config/schema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const zones_keys[] = {"from",  "state-field", "nm",  "baselines",
                                         "claim", "states",      "show"};

/* The files shoal_zones_write writes, without .shp. */
static const char *const shows[] = {"limits",   "limit_lines", "zones",
                                    "overlaps", "medians",     "claim"};

void shoal_zonesspec_free(shoal_zonesspec *z)
{
  if (!z)
    return;
  free(z->from);
  free(z->state_field);
  free(z->baselines);
  free(z->claim);
  free(z->states);
  free(z->show);
  free(z);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* nm: one distance or a list, each in (0, 1000] nautical miles; kept sorted, without repeats. */
static void read_nm(shoal_schema *sc, shoal_node *v, shoal_zonesspec *z)
{
  size_t n = v->kind == SHOAL_NODE_SEQ ? v->n : 1;
  if (v->kind == SHOAL_NODE_MAP || n == 0 || n > SHOAL_ZONES_MAX_NM) {
    shoal_schema_err(sc, v, "nm must be a distance in nautical miles or a list of 1 to %d",
                     SHOAL_ZONES_MAX_NM);
    return;
  }
  z->nnm = 0;
  for (size_t i = 0; i < n; i++) {
    shoal_node *it = v->kind == SHOAL_NODE_SEQ ? v->items[i] : v;
    double x;
    if (!shoal_schema_num(sc, it, "nm", 0, 1000, &x))
      continue;
    if (x <= 0) {
      shoal_schema_err(sc, it, "nm must be more than 0");
      continue;
    }
    z->nm[z->nnm++] = x;
  }
  qsort(z->nm, z->nnm, sizeof z->nm[0], cmp_double);
  size_t k = 0;
  for (size_t i = 0; i < z->nnm; i++)
    if (k == 0 || z->nm[i] != z->nm[k - 1])
      z->nm[k++] = z->nm[i];
  z->nnm = k;
}

/* states: a list of the state field's values, or one "CN,VN" text; kept as "CN,VN". */
static void read_states(shoal_schema *sc, shoal_node *v, shoal_zonesspec *z)
{
  if (v->kind == SHOAL_NODE_SCALAR) {
    shoal_schema_str(sc, v, "states", &z->states);
    return;
  }
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "states"))
    return;
  size_t len = 1;
  for (size_t i = 0; i < v->n; i++) {
    shoal_node *it = v->items[i];
    if (!shoal_schema_want(sc, it, SHOAL_NODE_SCALAR, "a state"))
      return;
    if (!it->str[0] || strchr(it->str, ',')) {
      shoal_schema_err(sc, it, "a state must be one value of the state field");
      return;
    }
    len += strlen(it->str) + 1;
  }
  free(z->states);
  z->states = calloc(len, 1);
  size_t o = 0;
  for (size_t i = 0; z->states && i < v->n; i++) {
    size_t l = strlen(v->items[i]->str);
    if (i)
      z->states[o++] = ',';
    memcpy(z->states + o, v->items[i]->str, l);
    o += l;
  }
}

static char *input(shoal_schema *sc, shoal_node *m, const char *key)
{
  shoal_node *v = shoal_node_get(m, key);
  if (!v || !shoal_schema_want(sc, v, SHOAL_NODE_SCALAR, key))
    return NULL;
  return shoal_schema_data_path(sc, v, true);
}

void shoal_schema_zones(shoal_schema *sc, shoal_node *n, shoal_layer *L)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_MAP, "zones"))
    return;
  const char *const *lists[] = {zones_keys};
  size_t lens[] = {COUNT(zones_keys)};
  shoal_schema_keys(sc, n, "zones", lists, lens, 1);
  shoal_zonesspec *z = calloc(1, sizeof *z);
  L->data = calloc(1, sizeof *L->data);
  if (!z || !L->data) {
    free(z);
    shoal_diag_error_at(sc->d, SHOAL_ERR_NOMEM, shoal_node_loc(n), "out of memory");
    return;
  }
  L->zones = z;
  z->loc = shoal_node_loc(n);
  z->nm[0] = 200, z->nnm = 1;
  /* One data entry without a path: the scene puts the computed file there. */
  L->data[0] = (shoal_datafile){.max_scale = INFINITY, .loc = z->loc};
  L->ndata = 1;
  shoal_node *v;
  if (!shoal_node_get(n, "from"))
    shoal_schema_err(sc, n, "zones needs 'from' (the land polygons' data file)");
  z->from = input(sc, n, "from");
  if (!(v = shoal_node_get(n, "state-field")))
    shoal_schema_err(sc, n, "zones needs 'state-field' (the field naming each feature's state)");
  else
    shoal_schema_str(sc, v, "state-field", &z->state_field);
  z->baselines = input(sc, n, "baselines");
  z->claim = input(sc, n, "claim");
  if ((v = shoal_node_get(n, "nm")))
    read_nm(sc, v, z);
  if ((v = shoal_node_get(n, "states")))
    read_states(sc, v, z);
  int show = 2; /* zones */
  if ((v = shoal_node_get(n, "show")))
    show = shoal_schema_enum(sc, v, "zones show", shows, COUNT(shows));
  if (show == 5 && !shoal_node_get(n, "claim"))
    shoal_schema_err(sc, v, "show: claim needs a 'claim' line in zones");
  z->show = shoal_strdup(shows[show < 0 ? 2 : show]);
}
