/* `shoal serve`: the live preview page for a map (src/serve/), with its options and its safe
 * defaults: the loopback address unless --host says otherwise. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config/schema.h"
#include "serve/serve.h"

enum { O_PORT, O_HOST, O_OPEN, O_SET };

static const shoal_cli_opt serve_opts[] = {
    [O_PORT] = {.lng = "--port",
                .arg = "N",
                .help = "TCP port to listen on, 0 for any free one (default: 8417)"},
    [O_HOST] = {.lng = "--host",
                .arg = "ADDR",
                .help = "numeric address to listen on; anything but the loopback lets everyone "
                        "on that network read the map and its data (default: 127.0.0.1)"},
    [O_OPEN] = {.lng = "--open", .help = "open the page in the desktop's browser (xdg-open)"},
    [O_SET] = {.lng = "--set",
               .arg = "KEY=VALUE",
               .help = "override a scalar of the map file in every render; repeatable (default: "
                       "none)"},
};

typedef struct serve_args {
  const char *name;
  const char *host;
  int port;
  bool open, host_given;
  const char **sets;
  size_t nsets;
} serve_args;

static void done_serve(void *args)
{
  serve_args *sa = args;
  free(sa->sets);
}

static int on_serve(const shoal_cli_cmd *cmd, int k, const char *val, void *args)
{
  serve_args *sa = args;
  double port;
  switch (k) {
  case SHOAL_CLI_ARG:
    if (sa->name)
      return shoal_cli_usage_error(cmd, "takes one map (got '%s' too)", val);
    sa->name = val;
    break;
  case O_PORT:
    if (!shoal_parse_double(val, &port) || port < 0 || port > 65535 || port != (int)port)
      return shoal_cli_usage_error(cmd, "--port needs a port number from 0 to 65535, not '%s'",
                                   val);
    sa->port = (int)port;
    break;
  case O_HOST:
    sa->host = val;
    sa->host_given = true;
    break;
  case O_OPEN: sa->open = true; break;
  default:
    if (!strchr(val, '='))
      return shoal_cli_usage_error(cmd, "--set needs key=value, not '%s'", val);
    sa->sets[sa->nsets++] = val;
    break;
  }
  return 0;
}

static int parse_serve(const shoal_cli_cmd *cmd, const shoal_cli *cli, int argc, char **argv,
                       void *args)
{
  serve_args *sa = args;
  sa->host = "127.0.0.1";
  sa->port = 8417;
  sa->sets = calloc((size_t)argc, sizeof *sa->sets);
  if (!sa->sets)
    return SHOAL_ERR_NOMEM;
  int rc = shoal_cli_walk(cmd, argc, argv, on_serve, sa);
  if (rc)
    return rc;
  if (!sa->name)
    return shoal_cli_usage_error(cmd, "needs a map file or name");
  return 0;
}

static bool loopback(const char *host)
{
  return !strncmp(host, "127.", 4) || !strcmp(host, "::1") || !strcmp(host, "localhost");
}

static int run_serve(const shoal_cli *cli, void *args)
{
  const serve_args *sa = args;
  int rc;
  char *map = shoal_cli_find_file(cli, sa->name, "map", &rc);
  if (!map)
    return rc;
  /* Later saves are watched for, but a map that is not there at all is a typo. */
  if (access(map, R_OK) != 0) {
    fprintf(stderr, "shoal: error: cannot read map '%s': %s\n", map, strerror(errno));
    free(map);
    return SHOAL_ERR_NOINPUT;
  }
  if (sa->host_given && !loopback(sa->host))
    fprintf(stderr,
            "shoal: warning: listening on %s: anyone who can reach this address can read the "
            "map, its styles' names and its data through the page\n",
            sa->host);
  shoal_cli_stop stop_, *stop = shoal_cli_stop_start(&stop_) ? &stop_ : NULL;
  shoal_serve_opts o = {.map = map,
                        .host = !strcmp(sa->host, "localhost") ? "127.0.0.1" : sa->host,
                        .port = sa->port,
                        .open = sa->open,
                        .sets = sa->sets,
                        .nsets = sa->nsets,
                        .search = cli->search,
                        .stop = stop ? &stop->sig : NULL,
                        .wake_fd = stop ? stop->wake[0] : -1};
  rc = shoal_serve_run(&o);
  if (stop)
    shoal_cli_stop_end(stop);
  free(map);
  return rc;
}

const shoal_cli_cmd shoal_cli_serve = {
    .name = "serve",
    .summary = "a live preview page: the map as you save it, errors, inspect, label debugging",
    .synopsis = "shoal serve MAP [--port N] [--host ADDR] [--open] [--set KEY=VALUE ...]",
    .description =
        "Serves a page on http://127.0.0.1:8417/ that shows the map and draws it again within "
        "half a second of a save to the map file, an included style or a data file (a burst of "
        "saves draws once). Errors are shown on the page as the command line prints them, over "
        "the last good image. The page switches the language and the size without touching the "
        "file, hides layers, downloads PNG, PDF or SVG of what it shows, tells the longitude "
        "and latitude under the cursor, lists what is under a click (features, attributes, the "
        "rule that styled them, their label), and shows where labels went and why some were "
        "dropped.\n\n"
        "Only the page, its images and its JSON API are served (see the README's \"Live "
        "preview\"); no file is read on a request. SIGINT (Ctrl-C) or SIGTERM stops it.",
    .opts = serve_opts,
    .nopts = sizeof serve_opts / sizeof serve_opts[0],
    .exit_codes = "0   stopped by SIGINT or SIGTERM\n"
                  "64  usage error\n"
                  "66  the map is missing\n"
                  "70  cannot listen or watch files",
    .examples = {"shoal serve styles/second-thomas-shoal.yaml --open",
                 "shoal serve south-china-sea --port 9000"},
    .examples_marker = "not run: serve runs until stopped; tests/cli/test_serve.sh drives it",
    .positional = SHOAL_COMPLETE_MAP,
    .args_size = sizeof(serve_args),
    .parse = parse_serve,
    .run = run_serve,
    .done = done_serve,
};
