/* One status enum for the whole program; values are the sysexits exit codes and never change. */
#ifndef SHOAL_STATUS_H
#define SHOAL_STATUS_H

typedef enum shoal_status {
  SHOAL_OK = 0,
  SHOAL_ERR_USAGE = 64,    /* bad command line */
  SHOAL_ERR_DATA = 65,     /* bad style, map or data file */
  SHOAL_ERR_NOINPUT = 66,  /* input file missing or unreadable */
  SHOAL_ERR_INTERNAL = 70, /* a bug or an unexpected library failure */
  /* Out of memory is an internal error: the same code, 70 (the README documents no other).
   * Input over a size cap is bad input, SHOAL_ERR_DATA with the key's location. */
  SHOAL_ERR_NOMEM = SHOAL_ERR_INTERNAL,
  SHOAL_ERR_CANTCREAT = 73, /* cannot write an output file */
  /* Stopped on request (the caller's cancel flag, set on SIGINT or SIGTERM) before the work
   * was done; the command line exits 128 + the signal's number: 130 or 143. */
  SHOAL_ERR_INTERRUPTED = 130
} shoal_status;

/* Static string naming the status, e.g. "bad data or style"; never NULL. */
const char *shoal_status_str(shoal_status s);

#endif
