/* The command table: one shoal_cli_cmd per sub-command (name, summary, help text, options,
 * parse and run), the option walker every command parses with, and the one usage-error path.
 * `shoal help`, the man page, the README's CLI reference and the bash completion are all
 * written from these entries. */
#ifndef SHOAL_CLI_H
#define SHOAL_CLI_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/searchpath.h"
#include "base/status.h"

/* What every command gets from main: the search path for map names, includes and data. */
typedef struct shoal_cli {
  const shoal_searchpath *search; /* borrowed; never NULL */
  const char *share_dir;          /* the data folder (share/shoal or the repository); may be NULL */
} shoal_cli;

/* What shell completion offers for an option's value or a positional argument. */
typedef enum shoal_cli_complete {
  SHOAL_COMPLETE_NONE = 0,
  SHOAL_COMPLETE_FILE,    /* any file */
  SHOAL_COMPLETE_MAP,     /* map names on the search path and *.yaml files */
  SHOAL_COMPLETE_BATCH,   /* batch names on the search path and *.yaml files */
  SHOAL_COMPLETE_IMAGE,   /* *.png, *.pdf, *.svg */
  SHOAL_COMPLETE_SHP,     /* *.shp */
  SHOAL_COMPLETE_DATA,    /* *.csv, *.shp */
  SHOAL_COMPLETE_JSON,    /* *.json */
  SHOAL_COMPLETE_COMMAND, /* a command name */
} shoal_cli_complete;

/* One option of a command. */
typedef struct shoal_cli_opt {
  const char *lng;  /* "--output" */
  const char *shrt; /* "-o", or NULL */
  const char *arg;  /* the value's name ("OUT.png"), NULL for a flag */
  const char *help; /* one sentence, with the default when there is one */
  shoal_cli_complete complete;
  bool hidden; /* for the build (help --man): not shown in help */
} shoal_cli_opt;

typedef struct shoal_cli_cmd shoal_cli_cmd;

/* One command. args is args_size zeroed bytes that parse fills and run reads; parse returns 0
 * to run, an exit code (a usage error has been printed), or -1 when it printed the help (exit
 * 0 without running); run returns the exit code; done (may be NULL) frees what parse
 * allocated in args, also after a failed parse. */
struct shoal_cli_cmd {
  const char *name;
  const char *summary;     /* one line, lower case, no full stop */
  const char *synopsis;    /* lines "shoal NAME ...", '\n'-separated */
  const char *description; /* paragraphs separated by blank lines */
  const shoal_cli_opt *opts;
  size_t nopts;
  const char *exit_codes; /* lines "CODE  meaning" */
  const char *examples[2];
  /* For the README (help --markdown) only: a marker for tests/cli/test_readme.sh written as an
   * HTML comment before the examples, e.g. "pending: REASON" or "needs: CMD"; NULL = none,
   * the examples run as written. */
  const char *examples_marker;
  shoal_cli_complete positional;
  size_t args_size;
  int (*parse)(const shoal_cli_cmd *cmd, const shoal_cli *cli, int argc, char **argv, void *args);
  int (*run)(const shoal_cli *cli, void *args);
  void (*done)(void *args);
};

/* The table, in the order help lists it (cli_table.c). */
extern const shoal_cli_cmd *const shoal_cli_commands[];
extern const size_t shoal_cli_ncommands;
/* The command named name (static, never freed), or NULL when unknown. */
const shoal_cli_cmd *shoal_cli_find(const char *name);

/* The commands' entries (one per cmd_*.c file). */
extern const shoal_cli_cmd shoal_cli_render, shoal_cli_check, shoal_cli_batch, shoal_cli_serve,
    shoal_cli_list, shoal_cli_info, shoal_cli_index, shoal_cli_import, shoal_cli_zones,
    shoal_cli_help, shoal_cli_version;

/* Walks argv[1..] of a command. Returns the index into cmd->opts of the next option (its
 * value, for options that take one, in *val: "--opt V", "--opt=V" or "-oV"), SHOAL_CLI_ARG for
 * a positional argument (in *val; everything after "--" is positional), SHOAL_CLI_END at the
 * end, SHOAL_CLI_HELP when -h/--help was given (the help has been printed: exit 0), or
 * SHOAL_CLI_ERR after printing a usage error (unknown option, with the nearest one; missing
 * value): exit 64. */
enum { SHOAL_CLI_ARG = -1, SHOAL_CLI_END = -2, SHOAL_CLI_HELP = -3, SHOAL_CLI_ERR = -4 };
typedef struct shoal_cli_iter {
  const shoal_cli_cmd *cmd;
  int argc;
  char **argv;
  int i;
  bool no_more_opts;
} shoal_cli_iter;
void shoal_cli_iter_init(shoal_cli_iter *it, const shoal_cli_cmd *cmd, int argc, char **argv);
int shoal_cli_next(shoal_cli_iter *it, const char **val);
/* What a command does with each option (k, an index into cmd->opts) or positional argument
 * (k == SHOAL_CLI_ARG): 0 to go on, else the exit code to stop with. */
typedef int (*shoal_cli_on_fn)(const shoal_cli_cmd *cmd, int k, const char *val, void *args);
/* The walk every command's parse does: on for each item of argv[1..]; -1 when -h/--help was
 * given (the help has been printed), SHOAL_ERR_USAGE after an option error, on's non-zero
 * return, or 0 at the end. */
int shoal_cli_walk(const shoal_cli_cmd *cmd, int argc, char **argv, shoal_cli_on_fn on, void *args);

/* The one usage-error path: "shoal CMD: message", the command's synopsis and where to read
 * more, on stderr. cmd NULL for the top level. Returns SHOAL_ERR_USAGE. */
int shoal_cli_usage_error(const shoal_cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* --png-palette N of render and batch: one table entry and one parser for both. The parser
 * sets *out to N (2..256) or -1 for 0 (full colour), or prints a usage error and returns 64. */
#define SHOAL_CLI_OPT_PNG_PALETTE                                                                  \
  {                                                                                                \
    .lng = "--png-palette", .arg = "N",                                                            \
    .help = "write PNGs as 8-bit palette images of at most N colours (2 to 256), quantized by "    \
            "libimagequant: about half the size for article maps; 0 writes full colour. The "      \
            "same as --set map.png-palette=N (default: the map's, else full colour)"               \
  }
int shoal_cli_png_palette(const shoal_cli_cmd *cmd, const char *val, int *out);

/* Find a map (kind "map": NAME, NAME.yaml), batch file (kind "batch": NAME, NAME.batch.yaml,
 * NAME.yaml) or either (kind "file": NAME, NAME.yaml, NAME.batch.yaml) along the search path. A
 * name with a '/' in it is a path and is returned as written (the job reports a missing file).
 * Returns a path the caller frees with free(), or NULL after printing an error naming every place
 * looked (*status = 66) or when out of memory (*status = 70). */
char *shoal_cli_find_file(const shoal_cli *cli, const char *name, const char *kind, int *status);

/* help.c: print a command's full help (or, cmd NULL, the overview) as text. */
void shoal_cli_print_help(FILE *out, const shoal_cli_cmd *cmd);
/* The synopsis lines of cmd prefixed with "usage: " / aligned, on out. */
void shoal_cli_print_synopsis(FILE *out, const shoal_cli_cmd *cmd);

/* stop.c: stopping cleanly on SIGINT and SIGTERM. start blocks both signals (call it before any
 * thread is created: every thread inherits the mask) and starts a thread that waits for them:
 * the first sets sig (pass &sig to the jobs as their cancel flag) and writes a byte to wake[0]
 * for poll(); a second exits at once with 128 + its number. False when it cannot (the signals
 * then keep their default action). */
typedef struct shoal_cli_stop {
  atomic_int sig; /* 0, or the signal that asked to stop */
  int wake[2];    /* pipe, -1 when none: readable after a signal */
  pthread_t thread;
  bool running;
} shoal_cli_stop;
bool shoal_cli_stop_start(shoal_cli_stop *s);
/* Stop the waiting thread; the signals stay blocked until the process exits. */
void shoal_cli_stop_end(shoal_cli_stop *s);
/* The exit code: 128 + the signal (130 for SIGINT, 143 for SIGTERM) when one came, else rc. */
int shoal_cli_stop_code(const shoal_cli_stop *s, int rc);
/* When a signal came: "shoal: interrupted by SIGTERM; ..." on stderr. */
void shoal_cli_stop_report(const shoal_cli_stop *s);
/* Remove, from the folders of these outputs, the temporary files that a killed Shoal left there
 * (shoal_surface_clean_stale), saying so on stderr when verbosity > 0. */
void shoal_cli_clean_stale(const char *const *outputs, size_t n, int verbosity);

/* cmd_watch.c: render, then re-render whenever an input changes; returns on SIGINT/SIGTERM
 * (a render in progress is abandoned, its temporary file removed) with 130 or 143. */
typedef struct shoal_watch_opts {
  const char *map;
  const char *const *outputs;
  size_t noutputs;
  const char *const *sets;
  size_t nsets;
  int width, height;
  double scale, max_pixels;
  int verbosity;
  const shoal_searchpath *search;
  shoal_cli_stop *stop; /* borrowed; started by the caller: its signal ends the watch */
} shoal_watch_opts;
int shoal_cli_watch(const shoal_watch_opts *o);

#endif
