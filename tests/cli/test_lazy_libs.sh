#!/usr/bin/env bash
# CLI tests of libmicrohttpd and libimagequant loaded on first use (src/serve/mhd_load.c,
# src/draw/quant_load.c): the binary does not load them (nor GnuTLS through the one, libgomp
# through the other) at start-up, a palette PNG is still a palette PNG close to the full-colour
# one, `shoal serve` still answers, and when either library cannot be loaded the command that
# needs it fails with the loader's reason and exit 70 while a full-colour PNG still renders.
#   tests/cli/test_lazy_libs.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

# An MHD_ or liq_ call missing from the loaders' lists would link its library into the binary
# again.
no_lazy_needed() { ! readelf -d "$SHOAL" | grep -Eq 'NEEDED.*lib(microhttpd|imagequant|gomp)'; }
t_check "the shoal binary does not need libmicrohttpd, libimagequant or libgomp" no_lazy_needed
# ... nor does anything it needs (the loader says which files it opens).
none_loaded() {
    LD_DEBUG=files "$SHOAL" --help >/dev/null 2>"$WORK/ld.txt" || return 1
    grep -q 'file=libc\.so' "$WORK/ld.txt" && ! grep -Eq 'file=lib(microhttpd|imagequant|gomp)' "$WORK/ld.txt"
}
t_check "shoal --help loads none of them" none_loaded

MAP=$ROOT/tests/golden/core/rules.yaml

# A palette PNG: colour type 3, at most 64 entries, decoding (zlib alone) near the full-colour
# PNG of the same map. Measured on the rules map: 0.1 per channel on average (antialiased edges
# mapped to the nearest of 64 colours are up to 49 off; test_golden_palette checks the pixels).
palette_ok() { # PALETTE.png RGB.png
    python3 - "$ROOT/tests/tools" "$1" "$2" <<'EOF'
import struct, sys
sys.path.insert(0, sys.argv[1])
from pngrows import read_png
data = open(sys.argv[2], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, chunks = 8, {}
while pos < len(data):
    n, = struct.unpack(">I", data[pos:pos + 4])
    chunks[data[pos + 4:pos + 8]] = data[pos + 8:pos + 8 + n]
    pos += 12 + n
depth, ct, n = chunks[b"IHDR"][8], chunks[b"IHDR"][9], len(chunks.get(b"PLTE", b"")) // 3
assert (ct, depth) == (3, 8) and 2 <= n <= 64, "type %d depth %d plte %d" % (ct, depth, n)
w, h, bpp, rows = read_png(sys.argv[2])
w2, h2, bpp2, rows2 = read_png(sys.argv[3])
assert (w, h, bpp) == (w2, h2, bpp2), "sizes differ"
d = [abs(a - b) for r1, r2 in zip(rows, rows2) for a, b in zip(r1, r2)]
assert sum(d) / len(d) <= 1, "channels differ by %.2f on average" % (sum(d) / len(d))
EOF
}

t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/rgb.png" -q
t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/pal.png" --png-palette 64 -q
t_expect_stderr_empty
t_check "--png-palette 64 writes a palette PNG of at most 64 colours near the full-colour one" \
    palette_ok "$WORK/pal.png" "$WORK/rgb.png"

# `shoal serve` answers one request and stops on SIGINT.
serves() {
    command -v curl >/dev/null || return 0
    "$SHOAL" serve "$ROOT/tests/data/empty-map.yaml" --port 0 2>"$WORK/serve.log" </dev/null &
    local pid=$! base="" ok=1
    for _ in $(seq 100); do
        base=$(grep -o 'http://[^ ]*/' "$WORK/serve.log" | head -1)
        [[ -n "$base" ]] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n "$base" ]] && [[ "$(curl -s -o /dev/null -w '%{http_code}' "${base}api/status")" == 200 ]] &&
        ok=0
    kill -INT "$pid" 2>/dev/null
    wait "$pid"
    cat "$WORK/serve.log"
    return $ok
}
t_check "shoal serve answers /api/status" serves

# Libraries that are not ones: the loader finds them first on LD_LIBRARY_PATH and refuses them.
mkdir -p "$WORK/broken"
: >"$WORK/broken/libimagequant.so.0"
: >"$WORK/broken/libmicrohttpd.so.12"
BROKEN=(env LD_LIBRARY_PATH="$WORK/broken")
t_expect_exit 70 -- "${BROKEN[@]}" "$SHOAL" render "$MAP" -o "$WORK/broken.png" --png-palette 64 -q
t_expect_stderr_line "shoal: error: cannot load libimagequant.so.0: $WORK/broken/libimagequant.so.0: file too short"
t_expect_no_file "$WORK/broken.png"
t_expect_exit 0 -- "${BROKEN[@]}" "$SHOAL" render "$MAP" -o "$WORK/full.png" -q
t_check "a full-colour PNG still renders without libimagequant" cmp -s "$WORK/full.png" "$WORK/rgb.png"
# (timeout: a server that started after all would wait for Ctrl-C)
t_expect_exit 70 -- "${BROKEN[@]}" timeout 30 "$SHOAL" serve "$ROOT/tests/data/empty-map.yaml" --port 0
t_expect_stderr_line "shoal: error: cannot load libmicrohttpd.so.12: $WORK/broken/libmicrohttpd.so.12: file too short"

t_done
