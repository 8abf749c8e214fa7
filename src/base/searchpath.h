/* The search path: where a map name, an include or a data file is looked for when it is not
 * found beside the file that names it. In order: the current directory, each folder of
 * $SHOAL_PATH (colon-separated), then the installed data folder's styles/ and the data folder
 * itself (share/shoal, or the repository in a build tree). Built once by the CLI and passed
 * down; never global. */
#ifndef SHOAL_SEARCHPATH_H
#define SHOAL_SEARCHPATH_H

#include <stddef.h>

typedef struct shoal_searchpath shoal_searchpath;

/* env_path: the value of SHOAL_PATH (NULL or "" for none; empty entries are skipped).
 * share_dir: the data folder holding styles/ and shapes/ (NULL for none). Caller frees with
 * shoal_searchpath_free; NULL only when out of memory. */
shoal_searchpath *shoal_searchpath_new(const char *env_path, const char *share_dir);
void shoal_searchpath_free(shoal_searchpath *sp);

size_t shoal_searchpath_count(const shoal_searchpath *sp);
/* Folder i, as given ("." for the current directory). Borrowed until the path is freed. */
const char *shoal_searchpath_dir(const shoal_searchpath *sp, size_t i);

/* Find the readable file rel. An absolute rel is taken as it is. Otherwise it is looked for
 * first beside from_file (in from_file's folder; skipped when from_file is NULL), then in each
 * folder of sp (sp may be NULL: beside from_file only). Returns the path found, caller frees
 * with free(). When nothing is found returns NULL and, if tried is not NULL, sets *tried to
 * the places looked, quoted and joined with ", " for an error message (caller frees with
 * free(); NULL when out of memory). */
char *shoal_searchpath_find(const shoal_searchpath *sp, const char *from_file, const char *rel,
                            char **tried);

#endif
