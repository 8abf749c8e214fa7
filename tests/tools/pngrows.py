"""Decode an 8-bit RGB, RGBA or palette PNG into rows of bytes with nothing but zlib, so CLI
tests can sample pixels without a Python imaging package. A palette image comes back expanded to
RGB, or to RGBA when it has a tRNS chunk.

    from pngrows import read_png
    w, h, bpp, rows = read_png(path)     # rows[y][x * bpp + channel]
"""
import struct
import zlib


def read_png(path):
    data = open(path, "rb").read()
    pos, idat, w, h, ct, plte, trns = 8, b"", 0, 0, 0, b"", None
    while pos < len(data):
        n, = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, _, ct = struct.unpack(">IIBB", body[:10])
        if kind == b"IDAT":
            idat += body
        if kind == b"PLTE":
            plte = body
        if kind == b"tRNS":
            trns = body
    raw = zlib.decompress(idat)
    bpp = {2: 3, 3: 1}.get(ct, 4)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    if ct == 3:
        return (w, h) + expand_palette(rows, plte, trns)
    return w, h, bpp, rows


def expand_palette(rows, plte, trns):
    """Indexes to RGB (RGBA with a tRNS chunk: entries past its end are opaque)."""
    n = len(plte) // 3
    alpha = (trns or b"") + b"\xff" * (n - len(trns or b""))
    colours = [plte[3 * i:3 * i + 3] + (alpha[i:i + 1] if trns is not None else b"")
               for i in range(n)]
    return (4 if trns is not None else 3), [bytearray(b"".join(colours[i] for i in r))
                                            for r in rows]
