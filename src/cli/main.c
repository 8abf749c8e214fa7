/* shoal: command-line entry point. Finds the data folder, builds the search path, looks the
 * command up in the table and runs it; all work happens in the library. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "config/yamlversion.h"
#include "data/shpversion.h"
#include "draw/surface.h"
#include "draw/text.h"
#include "geo/xform.h"

#ifndef SHOAL_SOURCE_DIR
#define SHOAL_SOURCE_DIR "."
#endif

/* ---------------------------------------------------------------- version */

static int parse_version(const shoal_cli_cmd *cmd, const shoal_cli *cli, int argc, char **argv,
                         void *args)
{
  shoal_cli_iter it;
  shoal_cli_iter_init(&it, cmd, argc, argv);
  const char *val;
  int k = shoal_cli_next(&it, &val);
  if (k == SHOAL_CLI_HELP)
    return -1;
  if (k == SHOAL_CLI_ARG)
    return shoal_cli_usage_error(cmd, "takes no arguments (got '%s')", val);
  return k == SHOAL_CLI_END ? 0 : SHOAL_ERR_USAGE;
}

static int run_version(const shoal_cli *cli, void *args)
{
  printf("shoal %s\n", SHOAL_VERSION);
  printf("cairo %s\n", shoal_surface_cairo_version());
  /* Pango is loaded on first use (draw/pango_load.c); here that is now. */
  const char *pango = shoal_text_pango_version();
  if (!pango) {
    fflush(stdout);
    fprintf(stderr, "shoal: error: %s\n", shoal_text_load_error());
    return SHOAL_ERR_INTERNAL;
  }
  printf("pango %s\n", pango);
  printf("proj %s\n", shoal_proj_version());
  printf("shapelib %s (built with; shapelib has no runtime version)\n", shoal_shp_version());
  printf("libyaml %s\n", shoal_conf_yaml_version());
  if (cli->share_dir)
    printf("data folder: %s\n", cli->share_dir);
  return 0;
}

const shoal_cli_cmd shoal_cli_version = {
    .name = "version",
    .summary = "print the versions of Shoal and of the libraries it runs with",
    .synopsis = "shoal version\nshoal --version",
    .description = "Prints Shoal's version, then the versions of Cairo, Pango, PROJ and libyaml "
                   "it runs with (as the libraries report them) and of shapelib it was built "
                   "with, and the data folder its search path ends with. Pango is loaded "
                   "when a map first needs text, and here.",
    .exit_codes = "0   printed\n"
                  "64  usage error\n"
                  "70  Pango could not be loaded (the message says why)",
    .examples = {"shoal --version", "shoal version | head -n 1"},
    .parse = parse_version,
    .run = run_version,
};

/* ---------------------------------------------------------------- data folder */

static bool has_styles(const char *dir)
{
  char p[4096];
  struct stat st;
  snprintf(p, sizeof p, "%s/styles", dir);
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* P/share/shoal when this binary is P/bin/shoal and that folder holds styles/; else the
 * source folder this binary was built from (a build-tree binary); else NULL. Caller frees. */
static char *find_share_dir(void)
{
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 32);
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/'); /* P/bin/shoal -> P/bin */
    if (slash)
      *slash = 0;
    slash = strrchr(exe, '/'); /* P/bin -> P */
    if (slash) {
      snprintf(slash, sizeof exe - (size_t)(slash - exe), "/share/shoal");
      if (has_styles(exe))
        return shoal_strdup(exe);
    }
  }
  return has_styles(SHOAL_SOURCE_DIR) ? shoal_strdup(SHOAL_SOURCE_DIR) : NULL;
}

/* ---------------------------------------------------------------- dispatch */

static int unknown_command(const char *name)
{
  const char *names[32];
  size_t n = 0;
  for (; n < shoal_cli_ncommands && n < 30; n++)
    names[n] = shoal_cli_commands[n]->name;
  if (name[0] == '-') {
    names[0] = "--help";
    names[1] = "--version";
    n = 2;
  }
  const char *s = shoal_suggest(name, names, n);
  const char *what = name[0] == '-' ? "option" : "command";
  if (s)
    return shoal_cli_usage_error(NULL, "unknown %s '%s' (did you mean '%s'?)", what, name, s);
  return shoal_cli_usage_error(NULL, "unknown %s '%s'", what, name);
}

static int run_command(const shoal_cli_cmd *cmd, const shoal_cli *cli, int argc, char **argv)
{
  void *args = cmd->args_size ? calloc(1, cmd->args_size) : NULL;
  if (cmd->args_size && !args) {
    fputs("shoal: error: out of memory\n", stderr);
    return SHOAL_ERR_NOMEM;
  }
  int rc = cmd->parse(cmd, cli, argc, argv, args);
  if (rc == 0)
    rc = cmd->run(cli, args);
  else if (rc < 0)
    rc = 0; /* help was printed */
  if (cmd->done)
    cmd->done(args);
  free(args);
  return rc;
}

int main(int argc, char **argv)
{
  /* Buffers of 128 kB and more (page and band images, geometry) straight from the kernel and
   * back to it when freed: glibc otherwise raises this threshold to the size of the first big
   * block freed and keeps later ones in its heaps, where freed memory stays resident (peak of
   * `batch -j 2` over 20 views: 51.6 MB, 42.2 MB with this). The smaller blocks' heaps are
   * kept up to 8 MB of free space at their top instead of glibc's 128 kB: trimmed at each free,
   * the band workers' heaps were given back and faulted in again a band later, with a TLB
   * shootdown on the other core each time (the 2000x2000 overview of bench/vs-mapserver.sh:
   * 119 -> 113 ms, peak memory +2 MB). */
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
  if (argc < 2) {
    shoal_cli_print_help(stderr, NULL);
    return SHOAL_ERR_USAGE;
  }
  const char *name = argv[1];
  if (!strcmp(name, "--help") || !strcmp(name, "-h"))
    name = "help";
  else if (!strcmp(name, "--version") || !strcmp(name, "-V"))
    name = "version";
  const shoal_cli_cmd *cmd = shoal_cli_find(name);
  if (!cmd)
    return unknown_command(name);
  char *share = find_share_dir();
  shoal_searchpath *sp = shoal_searchpath_new(getenv("SHOAL_PATH"), share);
  if (!sp) {
    fputs("shoal: error: out of memory\n", stderr);
    free(share);
    return SHOAL_ERR_NOMEM;
  }
  shoal_cli cli = {.search = sp, .share_dir = share};
  int rc = run_command(cmd, &cli, argc - 1, argv + 1);
  shoal_searchpath_free(sp);
  free(share);
  return rc;
}
