/* The preview page (src/serve/page.html), built into the binary by CMake as a byte array. */
#ifndef SHOAL_PAGE_H
#define SHOAL_PAGE_H

#include <stddef.h>

extern const unsigned char shoal_serve_page[];
extern const size_t shoal_serve_page_len;

#endif
