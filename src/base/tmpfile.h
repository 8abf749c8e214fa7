/* Temporary files written beside their targets and renamed into place, named so that a later
 * run can tell Shoal's own and remove those whose process was killed before it cleaned up. */
#ifndef SHOAL_TMPFILE_H
#define SHOAL_TMPFILE_H

#include <stddef.h>

/* Create and open (mode 0644, O_EXCL) a temporary file to write path through: beside path,
 * hidden, named DIR/.NAME.shoal-PID@HOST.tmp.XXXXXX, followed by ext when ext is neither NULL
 * nor "" (a '.' and 1 to 8 ASCII letters or digits, e.g. ".shp": the files of one shapefile
 * share a name and differ by extension, because shapelib finds a set's files that way). HOST is
 * this machine's name with anything but letters, digits, '-' and '.' replaced by '_'. Returns
 * the descriptor and the name in *tmp (caller frees with free(), and renames the file over its
 * target or unlinks it), or -1 with errno set (EINVAL for a bad ext) and *tmp NULL. */
int shoal_tmpfile_open(const char *path, const char *ext, char **tmp);

/* Remove from folder dir (NULL or "": the current folder) the regular files named as
 * shoal_tmpfile_open names them that a process of this host which no longer runs left behind
 * (kill(pid, 0) fails with ESRCH); never those of a running process, of another host, nor a
 * folder or a name that only looks alike. Returns how many were removed; a folder that cannot
 * be read counts as none. */
size_t shoal_tmpfile_clean_stale(const char *dir);

#endif
