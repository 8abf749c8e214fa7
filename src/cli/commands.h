/* Sub-command entry points called by main's dispatcher: each gets argv with argv[0] = the
 * sub-command's name and returns the process exit code (a shoal_status value). */
#ifndef SHOAL_COMMANDS_H
#define SHOAL_COMMANDS_H

#include <stddef.h>

/* cmd_data.c: data-file commands. */
int shoal_cmd_info(int argc, char **argv);   /* shoal info FILE.shp... */
int shoal_cmd_index(int argc, char **argv);  /* shoal index FILE.shp... */
int shoal_cmd_import(int argc, char **argv); /* shoal import IN.csv|IN.shp -o OUT.shp [options] */

/* cmd_batch.c: shoal batch BATCH.yaml [-j N] [--force] [--shard I/N] [--report F] [--list] */
int shoal_cmd_batch(int argc, char **argv);

/* cmd_watch.c: render, then re-render whenever an input changes; returns on SIGINT/SIGTERM. */
int shoal_cmd_watch(const char *map, const char *const *outputs, size_t noutputs,
                    const char *const *sets, size_t nsets, int width, int height, double scale,
                    int verbosity);

#endif
