#!/usr/bin/env bash
# Palette PNG (--png-palette N, map.png-palette): an 8-bit colour-mapped PNG that decodes (zlib
# alone, tests/tools/pngrows.py) to the full-colour image within a small difference, with at
# most N palette entries, a tRNS chunk only when the page has transparency; the map key and the
# option are one setting (0 turns a map's palette off); batch takes the option too; PDFs ignore
# it; bad values are usage errors. Golden: the palette image of the rules map against the
# full-colour reference core_rules.png.
source "$(dirname "$0")/lib.sh"
t_init "$@"

MAP=$ROOT/tests/golden/core/rules.yaml

# What is in a PNG: colour type, bit depth, palette entries, tRNS or not, and the largest
# channel difference from another PNG (both decoded with zlib alone).
png_facts() { # FILE [OTHER.png]
    python3 - "$ROOT/tests/tools" "$@" <<'EOF2'
import struct, sys
sys.path.insert(0, sys.argv[1])
from pngrows import read_png
data = open(sys.argv[2], "rb").read()
pos, chunks = 8, {}
while pos < len(data):
    n, = struct.unpack(">I", data[pos:pos + 4])
    chunks[data[pos + 4:pos + 8].decode()] = data[pos + 8:pos + 8 + n]
    pos += 12 + n
depth, ct = chunks["IHDR"][8], chunks["IHDR"][9]
out = "type %d depth %d plte %d trns %s" % (ct, depth, len(chunks.get("PLTE", b"")) // 3,
                                            "yes" if "tRNS" in chunks else "no")
w, h, bpp, rows = read_png(sys.argv[2])
if len(sys.argv) > 3:
    w2, h2, bpp2, rows2 = read_png(sys.argv[3])
    assert (w, h, bpp) == (w2, h2, bpp2), "sizes differ"
    out += " maxdiff %d" % max(abs(a - b) for r1, r2 in zip(rows, rows2) for a, b in zip(r1, r2))
print(out)
EOF2
}

t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/rgb.png"
t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/pal.png" --png-palette 256
t_expect_stderr_empty
t_check "file(1) says 8-bit colormap" bash -c "file '$WORK/pal.png' | grep -q '8-bit colormap'"
facts=$(png_facts "$WORK/pal.png" "$WORK/rgb.png")
# Measured: at most 21 in a channel (antialiased edges mapped to the nearest of 256 colours).
if [[ "$facts" =~ ^"type 3 depth 8 plte "([0-9]+)" trns no maxdiff "([0-9]+)$ ]] &&
    ((BASH_REMATCH[1] >= 2 && BASH_REMATCH[1] <= 256 && BASH_REMATCH[2] <= 32)); then
    t_pass "an opaque map: 8-bit palette, no tRNS, decodes near the full-colour PNG ($facts)"
else
    t_fail "an opaque map: 8-bit palette, no tRNS, decodes near the full-colour PNG" "$facts"
fi
size_rgb=$(stat -c %s "$WORK/rgb.png") size_pal=$(stat -c %s "$WORK/pal.png")
t_check "the palette PNG is smaller ($size_pal < $size_rgb bytes)" test "$size_pal" -lt "$size_rgb"

# Golden, against the full-colour reference (400x300): a pixel differs when a channel is more
# than 32 off; none may. Measured: 22 pixels over 8, 4 over 16, none over 21.
t_golden core_rules "$WORK/pal.png" 32 0

# Fewer colours: at most that many entries.
t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/pal16.png" --png-palette 16
facts=$(png_facts "$WORK/pal16.png")
if [[ "$facts" =~ ^"type 3 depth 8 plte "([0-9]+) ]] && ((BASH_REMATCH[1] <= 16)); then
    t_pass "--png-palette 16: at most 16 entries ($facts)"
else
    t_fail "--png-palette 16: at most 16 entries" "$facts"
fi

# A transparent page: tRNS, and the image decodes with alpha.
t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/clear.png" --png-palette 64 \
    --set 'map.background=#ffffff00'
facts=$(png_facts "$WORK/clear.png")
if [[ "$facts" == "type 3 depth 8 plte "*" trns yes" ]]; then
    t_pass "a transparent page gets tRNS ($facts)"
else
    t_fail "a transparent page gets tRNS" "$facts"
fi

# The map key is the same setting; the option's 0 turns it off.
t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/key.png" --set map.png-palette=256
t_check "map.png-palette: 256 gives the same file as --png-palette 256" \
    cmp -s "$WORK/key.png" "$WORK/pal.png"
t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/key-true.png" --set map.png-palette=true
t_check "map.png-palette: true is 256 colours" cmp -s "$WORK/key-true.png" "$WORK/pal.png"
t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/off.png" --set map.png-palette=true \
    --png-palette 0
t_check "--png-palette 0 overrides the map's key: full colour, the same file" \
    cmp -s "$WORK/off.png" "$WORK/rgb.png"

# PDF output ignores it.
t_expect_exit 0 -- "$SHOAL" render "$MAP" -o "$WORK/pal.pdf" --png-palette 16
t_check "a PDF stays a PDF" bash -c "head -c 5 '$WORK/pal.pdf' | grep -q '%PDF-'"

# batch takes the option for every job.
cat >"$WORK/two.batch.yaml" <<EOF2
defaults:
  output: "$WORK/b-{name}.png"
jobs:
  - {map: "$MAP", name: one}
  - {map: "$MAP", name: two, scale: 2}
EOF2
t_expect_exit 0 -- "$SHOAL" batch "$WORK/two.batch.yaml" -j 2 -q --png-palette 32
for n in one two; do
    facts=$(png_facts "$WORK/b-$n.png")
    if [[ "$facts" =~ ^"type 3 depth 8 plte "([0-9]+) ]] && ((BASH_REMATCH[1] <= 32)); then
        t_pass "batch --png-palette 32: job $n ($facts)"
    else
        t_fail "batch --png-palette 32: job $n" "$facts"
    fi
done

# Bad values.
for bad in 1 257 -3 abc 2.5 ""; do
    t_expect_exit 64 -- "$SHOAL" render "$MAP" -o "$WORK/x.png" --png-palette "$bad"
    t_expect_stderr_has "--png-palette needs a number of colours from 2 to 256 (0: full colour), not '$bad'"
done
t_expect_exit 64 -- "$SHOAL" batch "$WORK/two.batch.yaml" --png-palette 300
t_expect_stderr_has "shoal batch: --png-palette needs a number of colours"
t_expect_no_file "$WORK/x.png"

t_done
