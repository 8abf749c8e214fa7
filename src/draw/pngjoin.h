/* Joining separately compressed raw deflate streams into one (for the PNG encoder's bands). */
#ifndef SHOAL_PNGJOIN_H
#define SHOAL_PNGJOIN_H

#include <stdbool.h>
#include <stddef.h>

/* buf holds a complete raw deflate stream of len bytes (its last block marked final) in a
 * buffer of cap bytes. Clears the final mark and appends an empty stored block, so that
 * another raw deflate stream can follow it byte-aligned. Returns the new length (at most
 * len + 5), or 0 when the stream is malformed or cap too small. */
size_t shoal_pngjoin_unfinal(unsigned char *buf, size_t len, size_t cap);

#endif
