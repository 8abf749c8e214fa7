/* Joining raw deflate streams compressed separately (libdeflate has no flush): walk a stream's
 * blocks to find where its final block starts and where it ends, clear that block's "final"
 * bit and end the stream with an empty stored block, which is byte-aligned, so the next
 * stream follows it directly (what zlib's sync flush writes). The walk decodes the Huffman
 * codes without producing output, the way RFC 1951 section 3.2 describes them. */
#include <stdint.h>
#include <string.h>

#include "draw/pngjoin.h"

enum { MAXBITS = 15, MAXLCODES = 286, MAXDCODES = 30, FIXLCODES = 288, FASTBITS = 10 };

typedef struct bits {
  const unsigned char *p;
  size_t len; /* bytes */
  size_t pos; /* bit position */
  bool overrun;
} bits;

/* Extra bits after a length symbol (257 + i) and a distance code (i). */
static const short lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                               2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const short dext[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                               6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

typedef struct huff {
  short count[MAXBITS + 1];     /* codes of each length */
  short symbol[FIXLCODES];      /* symbols in canonical order */
  uint16_t fast[1 << FASTBITS]; /* codes of up to FASTBITS bits by their next bits as read:
                                 * symbol << 7 | bits, 0 for longer codes */
  const short *ext;             /* extra bits of symbol ext_first + i, skipped with the code */
  int ext_first, n_ext;
} huff;

/* The extra bits that follow symbol s (the walk skips them with its code, unread). */
static int extra(const huff *h, int s)
{
  return h->ext && s >= h->ext_first && s - h->ext_first < h->n_ext ? h->ext[s - h->ext_first] : 0;
}

/* The next 57 or more bits from the current position (zeros past the end). */
static uint64_t peek(const bits *b)
{
  size_t byte = b->pos >> 3;
  uint64_t v = 0;
  if (byte + 8 <= b->len) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&v, b->p + byte, 8); /* deflate's bits go least significant first: one load */
#else
    for (int i = 7; i >= 0; i--)
      v = v << 8 | b->p[byte + (size_t)i];
#endif
  } else {
    for (size_t i = b->len; i > byte; i--)
      v = v << 8 | b->p[i - 1];
  }
  return v >> (b->pos & 7);
}

static unsigned get(bits *b, int n)
{
  unsigned v = (unsigned)(peek(b) & ((1u << n) - 1));
  b->pos += (size_t)n;
  if (b->pos > b->len * 8)
    b->overrun = true;
  return v;
}

/* Canonical decoding (codes are sent most significant bit first). */
static int decode(bits *b, const huff *h)
{
  uint64_t v = peek(b);
  unsigned e = h->fast[v & ((1u << FASTBITS) - 1)];
  if (e) {
    b->pos += e & 127;
    if (b->pos > b->len * 8)
      b->overrun = true;
    return (int)(e >> 7);
  }
  int code = 0, first = 0, index = 0;
  for (int len = 1; len <= MAXBITS; len++) {
    code |= (int)((v >> (len - 1)) & 1);
    int count = h->count[len];
    if (code - count < first) {
      int s = h->symbol[index + (code - first)];
      b->pos += (size_t)(len + extra(h, s));
      if (b->pos > b->len * 8)
        b->overrun = true;
      return s;
    }
    index += count;
    first += count;
    first <<= 1;
    code <<= 1;
  }
  return -1;
}

/* The code of n symbols of these lengths, whose extra bits are ext[s - ext_first] (ext may be
 * NULL: none). */
static bool build(huff *h, const short *length, int n, const short *ext, int ext_first, int n_ext)
{
  h->ext = ext;
  h->ext_first = ext_first;
  h->n_ext = n_ext;
  short offs[MAXBITS + 1];
  memset(h->count, 0, sizeof h->count);
  for (int s = 0; s < n; s++)
    h->count[length[s]]++;
  offs[1] = 0;
  for (int len = 1; len < MAXBITS; len++)
    offs[len + 1] = (short)(offs[len] + h->count[len]);
  for (int s = 0; s < n; s++)
    if (length[s])
      h->symbol[offs[length[s]]++] = (short)s;
  /* The fast table: canonical codes in symbol order per length, bit-reversed as they are
   * read, repeated over the bits that follow them. */
  memset(h->fast, 0, sizeof h->fast);
  unsigned next[MAXBITS + 2];
  unsigned code = 0;
  h->count[0] = 0;
  for (int len = 1; len <= MAXBITS; len++) {
    code = (code + (unsigned)h->count[len - 1]) << 1;
    next[len] = code;
  }
  for (int s = 0; s < n; s++) {
    int len = length[s];
    if (!len)
      continue;
    unsigned c = next[len]++;
    if (len > FASTBITS)
      continue;
    unsigned rev = 0;
    for (int i = 0; i < len; i++)
      rev |= ((c >> i) & 1) << (len - 1 - i);
    for (unsigned k = rev; k < (1u << FASTBITS); k += 1u << len)
      h->fast[k] = (uint16_t)((unsigned)s << 7 | (unsigned)(len + extra(h, s)));
  }
  return true;
}

/* Skip the symbols of one compressed block up to its end-of-block code (decode skips each
 * length's and distance's extra bits with its code). */
static bool skip_codes(bits *b, const huff *lit, const huff *dist)
{
  for (;;) {
    int sym = decode(b, lit);
    if (sym < 0 || b->overrun)
      return false;
    if (sym == 256)
      return true;
    if (sym > 256) {
      if (sym - 257 >= 29)
        return false;
      int d = decode(b, dist);
      if (d < 0 || d >= 30)
        return false;
    }
  }
}

static bool dynamic_tables(bits *b, huff *lit, huff *dist)
{
  static const short order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
  short lengths[MAXLCODES + MAXDCODES];
  int nlen = (int)get(b, 5) + 257, ndist = (int)get(b, 5) + 1, ncode = (int)get(b, 4) + 4;
  if (nlen > MAXLCODES || ndist > MAXDCODES)
    return false;
  memset(lengths, 0, sizeof lengths);
  for (int i = 0; i < ncode; i++)
    lengths[order[i]] = (short)get(b, 3);
  huff lencode;
  build(&lencode, lengths, 19, NULL, 0, 0);
  for (int i = 0; i < nlen + ndist;) {
    int sym = decode(b, &lencode);
    if (sym < 0 || b->overrun)
      return false;
    if (sym < 16) {
      lengths[i++] = (short)sym;
      continue;
    }
    short len = 0;
    int rep;
    if (sym == 16) {
      if (i == 0)
        return false;
      len = lengths[i - 1];
      rep = 3 + (int)get(b, 2);
    } else {
      rep = sym == 17 ? 3 + (int)get(b, 3) : 11 + (int)get(b, 7);
    }
    if (i + rep > nlen + ndist)
      return false;
    while (rep--)
      lengths[i++] = len;
  }
  build(lit, lengths, nlen, lext, 257, 29);
  build(dist, lengths + nlen, ndist, dext, 0, 30);
  return !b->overrun;
}

static void fixed_tables(huff *lit, huff *dist)
{
  short lengths[FIXLCODES];
  int s = 0;
  for (; s < 144; s++)
    lengths[s] = 8;
  for (; s < 256; s++)
    lengths[s] = 9;
  for (; s < 280; s++)
    lengths[s] = 7;
  for (; s < FIXLCODES; s++)
    lengths[s] = 8;
  build(lit, lengths, FIXLCODES, lext, 257, 29);
  for (s = 0; s < MAXDCODES; s++)
    lengths[s] = 5;
  build(dist, lengths, MAXDCODES, dext, 0, 30);
}

size_t shoal_pngjoin_unfinal(unsigned char *buf, size_t len, size_t cap)
{
  bits b = {buf, len, 0, false};
  huff lit, dist;
  for (;;) {
    size_t head = b.pos;
    unsigned final = get(&b, 1), type = get(&b, 2);
    if (type == 0) {
      b.pos = (b.pos + 7) & ~(size_t)7;
      unsigned n = get(&b, 16);
      get(&b, 16);
      b.pos += (size_t)n * 8;
      if (b.pos > len * 8)
        return 0;
    } else if (type == 1) {
      fixed_tables(&lit, &dist);
      if (!skip_codes(&b, &lit, &dist))
        return 0;
    } else if (type == 2) {
      if (!dynamic_tables(&b, &lit, &dist) || !skip_codes(&b, &lit, &dist))
        return 0;
    } else {
      return 0;
    }
    if (b.overrun)
      return 0;
    if (final) {
      buf[head >> 3] &= (unsigned char)~(1u << (head & 7));
      break;
    }
  }
  /* An empty stored block: 3 header bits (not final, stored), zeros up to the byte boundary,
   * LEN 0 and NLEN 0xffff. */
  size_t end = b.pos, used = (end + 7) >> 3;
  if (end & 7)
    buf[used - 1] &= (unsigned char)((1u << (end & 7)) - 1); /* padding bits read as zero */
  bool spill = (end & 7) == 0 || 8 - (end & 7) < 3;
  size_t out = used + (spill ? 1 : 0);
  if (out + 4 > cap)
    return 0;
  if (spill)
    buf[used] = 0;
  memcpy(buf + out, "\x00\x00\xff\xff", 4);
  return out + 4;
}
