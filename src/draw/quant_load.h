/* libimagequant loaded on first use (quant_load.c), for pngquant.c only: a process that writes
 * no palette PNG never maps it and the OpenMP runtime (libgomp) behind it. */
#ifndef SHOAL_QUANT_LOAD_H
#define SHOAL_QUANT_LOAD_H

/* Load libimagequant once per process (thread-safe) and look up every function pngquant.c
 * calls. NULL when they are ready; else why not, e.g. "cannot load libimagequant.so.0: <the
 * loader's message>" (static, borrowed for the process's life). Must have returned NULL before
 * any liq_ function is called. */
const char *shoal_quant_load(void);

#endif
