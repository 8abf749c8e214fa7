/* The command table, the option walker, the usage-error path and map-name lookup (cli.h). */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/mem.h"

const shoal_cli_cmd *const shoal_cli_commands[] = {
    &shoal_cli_render, &shoal_cli_check, &shoal_cli_batch,   &shoal_cli_serve,
    &shoal_cli_list,   &shoal_cli_info,  &shoal_cli_index,   &shoal_cli_import,
    &shoal_cli_zones,  &shoal_cli_help,  &shoal_cli_version,
};
const size_t shoal_cli_ncommands = sizeof shoal_cli_commands / sizeof shoal_cli_commands[0];

const shoal_cli_cmd *shoal_cli_find(const char *name)
{
  for (size_t i = 0; i < shoal_cli_ncommands; i++)
    if (!strcmp(shoal_cli_commands[i]->name, name))
      return shoal_cli_commands[i];
  return NULL;
}

int shoal_cli_usage_error(const shoal_cli_cmd *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "shoal%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  if (cmd) {
    shoal_cli_print_synopsis(stderr, cmd);
    fprintf(stderr, "(see 'shoal help %s')\n", cmd->name);
  } else {
    fputs("(see 'shoal help')\n", stderr);
  }
  return SHOAL_ERR_USAGE;
}

void shoal_cli_iter_init(shoal_cli_iter *it, const shoal_cli_cmd *cmd, int argc, char **argv)
{
  *it = (shoal_cli_iter){.cmd = cmd, .argc = argc, .argv = argv, .i = 1};
}

int shoal_cli_walk(const shoal_cli_cmd *cmd, int argc, char **argv, shoal_cli_on_fn on, void *args)
{
  shoal_cli_iter it;
  shoal_cli_iter_init(&it, cmd, argc, argv);
  const char *val;
  for (int k; (k = shoal_cli_next(&it, &val)) != SHOAL_CLI_END;) {
    if (k == SHOAL_CLI_HELP)
      return -1;
    if (k == SHOAL_CLI_ERR)
      return SHOAL_ERR_USAGE;
    int rc = on(cmd, k, val, args);
    if (rc)
      return rc;
  }
  return 0;
}

/* The option a names, and where its attached value starts (after '=' or a short option's
 * letter), or -1. */
static int match(const shoal_cli_cmd *cmd, const char *a, const char **attached)
{
  *attached = NULL;
  for (size_t k = 0; k < cmd->nopts; k++) {
    const shoal_cli_opt *o = &cmd->opts[k];
    size_t n = strlen(o->lng);
    if (!strncmp(a, o->lng, n) && (a[n] == '\0' || (a[n] == '=' && o->arg))) {
      *attached = a[n] == '=' ? a + n + 1 : NULL;
      return (int)k;
    }
    if (o->shrt && !strcmp(a, o->shrt))
      return (int)k;
    if (o->shrt && o->arg && !strncmp(a, o->shrt, 2) && a[2]) {
      *attached = a + 2;
      return (int)k;
    }
  }
  return -1;
}

/* "unknown option", with the nearest long or short option of the command. */
static int unknown_option(const shoal_cli_cmd *cmd, const char *a)
{
  const char *names[64];
  size_t n = 0;
  for (size_t k = 0; k < cmd->nopts && n + 2 <= 64; k++) {
    if (cmd->opts[k].hidden)
      continue;
    names[n++] = cmd->opts[k].lng;
    if (cmd->opts[k].shrt)
      names[n++] = cmd->opts[k].shrt;
  }
  char word[128];
  size_t wl = strcspn(a, "=");
  snprintf(word, sizeof word, "%.*s", (int)(wl < 127 ? wl : 127), a);
  const char *s = shoal_suggest(word, names, n);
  if (s)
    return shoal_cli_usage_error(cmd, "unknown option '%s' (did you mean '%s'?)", word, s);
  return shoal_cli_usage_error(cmd, "unknown option '%s'", word);
}

int shoal_cli_next(shoal_cli_iter *it, const char **val)
{
  *val = NULL;
  if (it->i >= it->argc)
    return SHOAL_CLI_END;
  const char *a = it->argv[it->i++];
  if (it->no_more_opts || a[0] != '-' || !a[1]) {
    *val = a;
    return SHOAL_CLI_ARG;
  }
  if (!strcmp(a, "--")) {
    it->no_more_opts = true;
    return shoal_cli_next(it, val);
  }
  if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
    shoal_cli_print_help(stdout, it->cmd);
    return SHOAL_CLI_HELP;
  }
  const char *attached;
  int k = match(it->cmd, a, &attached);
  if (k < 0) {
    unknown_option(it->cmd, a);
    return SHOAL_CLI_ERR;
  }
  const shoal_cli_opt *o = &it->cmd->opts[k];
  if (!o->arg)
    return k;
  if (attached) {
    *val = attached;
  } else if (it->i < it->argc) {
    *val = it->argv[it->i++];
  } else {
    shoal_cli_usage_error(it->cmd, "option '%s' needs a value (%s)", o->lng, o->arg);
    return SHOAL_CLI_ERR;
  }
  return k;
}

int shoal_cli_png_palette(const shoal_cli_cmd *cmd, const char *val, int *out)
{
  char *e = NULL;
  long n = val[0] >= '0' && val[0] <= '9' ? strtol(val, &e, 10) : -1;
  if (n < 0 || *e || n == 1 || n > 256)
    return shoal_cli_usage_error(
        cmd, "--png-palette needs a number of colours from 2 to 256 (0: full colour), not '%s'",
        val);
  *out = n ? (int)n : -1;
  return 0;
}

/* Look for one candidate name; on failure append the places tried to all (a message; a
 * very long list is cut short). */
static char *try_name(const shoal_cli *cli, const char *rel, char *all, size_t cap)
{
  char *tried = NULL;
  char *p = shoal_searchpath_find(cli->search, NULL, rel, &tried);
  if (!p && tried) {
    size_t ol = strlen(all);
    if (ol < cap)
      snprintf(all + ol, cap - ol, "%s%s", ol ? ", " : "", tried);
  }
  free(tried);
  return p;
}

static bool ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

char *shoal_cli_find_file(const shoal_cli *cli, const char *name, const char *kind, int *status)
{
  *status = SHOAL_ERR_INTERNAL;
  if (strchr(name, '/')) {
    char *c = shoal_strdup(name);
    if (!c)
      fputs("shoal: error: out of memory\n", stderr);
    return c;
  }
  bool batch = !strcmp(kind, "batch"), any = !strcmp(kind, "file");
  const char *suffixes[] = {"", batch ? ".batch.yaml" : ".yaml",
                            batch ? ".yaml"
                            : any ? ".batch.yaml"
                                  : NULL};
  char all[4096] = "", buf[1024];
  char *found = NULL;
  for (size_t i = 0; i < 3 && !found && suffixes[i]; i++) {
    if (i > 0 && ends_with(name, ".yaml"))
      break;
    snprintf(buf, sizeof buf, "%s%s", name, suffixes[i]);
    found = try_name(cli, buf, all, sizeof all);
  }
  if (!found) {
    *status = SHOAL_ERR_NOINPUT;
    fprintf(stderr, "shoal: error: cannot find %s '%s': looked for %s\n", kind, name, all);
    fprintf(stderr, "(set SHOAL_PATH to more folders; 'shoal list' shows the names found)\n");
  }
  return found;
}
