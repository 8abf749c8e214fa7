/* Sub-command entry points called by main's dispatcher: each gets argv with argv[0] = the
 * sub-command's name and returns the process exit code (a shoal_status value). */
#ifndef SHOAL_COMMANDS_H
#define SHOAL_COMMANDS_H

/* cmd_data.c: data-file commands. */
int shoal_cmd_info(int argc, char **argv);   /* shoal info FILE.shp... */
int shoal_cmd_index(int argc, char **argv);  /* shoal index FILE.shp... */
int shoal_cmd_import(int argc, char **argv); /* shoal import IN.csv|IN.shp -o OUT.shp [options] */

#endif
