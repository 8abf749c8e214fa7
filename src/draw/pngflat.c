/* Rows of one colour written straight as deflate (RFC 1951), without a compressor: a blank map
 * or a run of open sea costs a few instructions a row and comes out as small as level 8 makes
 * it. The shape of such rows is known: the filter byte 0, then one pixel of ch bytes w times.
 * The first row is the filter byte and the pixel as literals, then copies at distance ch; every
 * later row is the literal 0, one copy of the pixel at distance ch + 1 (the previous row's last
 * pixel, just before that 0) and copies at distance ch. Each copy is at most 258 bytes, so a
 * row is a dozen symbols at 800 pixels. One dynamic block holds them all, its code lengths
 * given by rank: the most frequent symbol 1 bit, the next 2, and so on (the last two equal, so
 * the code is complete, as inflaters want); that is within a bit or two a row of an optimal
 * code for this few symbols. The block refers to nothing before it and is ended byte-aligned
 * by an empty stored block, so it joins other streams as pngjoin.c makes them. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "draw/pngflat.h"

enum { NLIT = 286, NDIST = 30, NCL = 19, MAXLEN = 258, MINLEN = 3, HEAD_BYTES = 600 };

static const short lbase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const short lextra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const short dbase[6] = {1, 2, 3, 4, 5, 7}; /* distances up to 6 are all that is used */
static const short dextra[6] = {0, 0, 0, 0, 1, 1};

/* A symbol with what follows it: a literal (dist < 0) or a copy. */
typedef struct token {
  short lit, lx, nlx; /* literal/length symbol, its extra bits' value and count */
  short dist, dx, ndx;
} token;

typedef struct bitw {
  unsigned char *p;
  size_t n, cap;
  uint64_t acc;
  int nacc;
} bitw;

static void put(bitw *b, uint64_t v, int n)
{
  b->acc |= v << b->nacc;
  b->nacc += n;
  while (b->nacc >= 8) {
    if (b->n < b->cap)
      b->p[b->n] = (unsigned char)b->acc;
    b->n++;
    b->acc >>= 8;
    b->nacc -= 8;
  }
}

static token copy(int len, int dist)
{
  int l = 28;
  while (lbase[l] > len)
    l--;
  int d = 5;
  while (dbase[d] > dist)
    d--;
  return (token){(short)(257 + l), (short)(len - lbase[l]),  lextra[l],
                 (short)d,         (short)(dist - dbase[d]), dextra[d]};
}

static token literal(int byte) { return (token){(short)byte, 0, 0, -1, 0, 0}; }

/* The tokens of a row (first: literals for its pixel; later: a copy of the row above's last
 * pixel), into t; how many. */
static int row_tokens(token *t, const unsigned char *px, int ch, int w, bool first)
{
  int n = 0;
  t[n++] = literal(0);
  if (first)
    for (int i = 0; i < ch; i++)
      t[n++] = literal(px[i]);
  else
    t[n++] = copy(ch, ch + 1);
  for (long left = (long)ch * (w - 1); left > 0;) {
    /* 258 at a time, leaving at least MINLEN for the last copy */
    long len = left <= MAXLEN ? left : left - MAXLEN >= MINLEN ? MAXLEN : left - MINLEN;
    t[n++] = copy((int)len, ch);
    left -= len;
  }
  return n;
}

/* Code lengths by rank of frequency: 1, 2, ... k - 1, k - 1 bits for the k symbols used (one
 * more unused symbol made up when only one is used). */
static void rank_lengths(const uint64_t *freq, int n, unsigned char *len)
{
  memset(len, 0, (size_t)n);
  int used = 0;
  for (int s = 0; s < n; s++)
    used += freq[s] > 0;
  int k = used < 2 ? 2 : used;
  for (int r = 1; r <= k; r++) {
    int best = -1;
    for (int s = 0; s < n; s++)
      if (!len[s] && (best < 0 || freq[s] > freq[best]))
        best = s;
    len[best] = (unsigned char)(r < k ? r : k - 1);
  }
}

/* Canonical codes of the lengths, bit-reversed as deflate sends them. */
static void codes(const unsigned char *len, int n, uint16_t *code)
{
  int count[16] = {0}, next[16];
  for (int s = 0; s < n; s++)
    count[len[s]]++;
  count[0] = 0;
  for (int l = 1, c = 0; l < 16; l++) {
    c = (c + count[l - 1]) << 1;
    next[l] = c;
  }
  for (int s = 0; s < n; s++) {
    code[s] = 0;
    if (!len[s])
      continue;
    unsigned c = (unsigned)next[len[s]]++, r = 0;
    for (int i = 0; i < len[s]; i++)
      r |= ((c >> i) & 1) << (len[s] - 1 - i);
    code[s] = (uint16_t)r;
  }
}

/* The block's header: counts, the code-length code (13 symbols of 4 bits, 6 of 5: complete)
 * and the literal/length and distance code lengths, runs of zeros by symbols 17 and 18. */
static void header(bitw *b, const unsigned char *llen, const unsigned char *dlen)
{
  static const unsigned char order[NCL] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                           11, 4,  12, 3, 13, 2, 14, 1, 15};
  unsigned char cl[NCL], all[NLIT + NDIST];
  uint16_t cc[NCL];
  for (int i = 0; i < NCL; i++)
    cl[i] = (i >= 11 && i <= 16) ? 5 : 4;
  codes(cl, NCL, cc);
  put(b, 0 | 2 << 1, 3); /* not final, dynamic codes */
  put(b, NLIT - 257, 5);
  put(b, NDIST - 1, 5);
  put(b, NCL - 4, 4);
  for (int i = 0; i < NCL; i++)
    put(b, cl[order[i]], 3);
  memcpy(all, llen, NLIT);
  memcpy(all + NLIT, dlen, NDIST);
  for (int i = 0; i < NLIT + NDIST;) {
    int run = 0;
    while (i + run < NLIT + NDIST && !all[i + run] && run < 138)
      run++;
    if (run >= 11) {
      put(b, cc[18], cl[18]);
      put(b, (uint64_t)(run - 11), 7);
    } else if (run >= 3) {
      put(b, cc[17], cl[17]);
      put(b, (uint64_t)(run - 3), 3);
    } else {
      put(b, cc[all[i]], cl[all[i]]);
      run = 1;
    }
    i += run;
  }
}

static void put_tokens(bitw *b, const token *t, int n, const uint16_t *lc, const unsigned char *ll,
                       const uint16_t *dc, const unsigned char *dl)
{
  for (int i = 0; i < n; i++) {
    put(b, lc[t[i].lit], ll[t[i].lit]);
    if (t[i].dist < 0)
      continue;
    put(b, (uint64_t)t[i].lx, t[i].nlx);
    put(b, dc[t[i].dist], dl[t[i].dist]);
    put(b, (uint64_t)t[i].dx, t[i].ndx);
  }
}

size_t shoal_pngflat_bound(int ch, int w, int rows)
{
  size_t per_row = (size_t)(ch + 4) + (size_t)ch * (size_t)w / 255; /* tokens */
  return HEAD_BYTES + per_row * 6 * (size_t)rows;
}

size_t shoal_pngflat_encode(unsigned char *out, size_t cap, const unsigned char *px, int ch, int w,
                            int rows)
{
  int most = ch + 4 + ch * w / 255;
  token *first = malloc(sizeof *first * (size_t)most),
        *later = malloc(sizeof *later * (size_t)most);
  if (!first || !later) {
    free(first);
    free(later);
    return 0;
  }
  int nf = row_tokens(first, px, ch, w, true), nl = row_tokens(later, px, ch, w, false);
  uint64_t lf[NLIT] = {0}, df[NDIST] = {0};
  for (int i = 0; i < nf; i++) {
    lf[first[i].lit]++;
    if (first[i].dist >= 0)
      df[first[i].dist]++;
  }
  for (int i = 0; i < nl; i++) {
    lf[later[i].lit] += (uint64_t)(rows - 1);
    if (later[i].dist >= 0)
      df[later[i].dist] += (uint64_t)(rows - 1);
  }
  lf[256] = 1; /* end of block */
  unsigned char ll[NLIT], dl[NDIST];
  uint16_t lc[NLIT], dc[NDIST];
  rank_lengths(lf, NLIT, ll);
  rank_lengths(df, NDIST, dl);
  codes(ll, NLIT, lc);
  codes(dl, NDIST, dc);
  bitw b = {out, 0, cap, 0, 0};
  header(&b, ll, dl);
  put_tokens(&b, first, nf, lc, ll, dc, dl);
  for (int r = 1; r < rows && b.n < cap; r++)
    put_tokens(&b, later, nl, lc, ll, dc, dl);
  put(&b, lc[256], ll[256]);
  put(&b, 0, 3); /* an empty stored block, not final: byte-aligned, LEN 0, NLEN 0xffff */
  put(&b, 0, (8 - b.nacc) & 7);
  put(&b, 0xffff0000u, 32);
  free(first);
  free(later);
  return b.n <= cap ? b.n : 0;
}
