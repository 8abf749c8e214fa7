#!/usr/bin/env bash
# Golden images of the six article maps, each in one of the three languages, rendered at
# --scale 0.5 (the same layout as the published 1200 px maps, at half the pixels, to keep the
# references small), and the Spratlys map as PDF. Tolerance: a pixel differs when a channel
# differs by more than 24; at most 0.3 % of the pixels may differ (anti-aliasing and glyph
# rasterisation noise); a moved label or line changes thousands.
source "$(dirname "$0")/lib.sh"
t_init "$@"

golden_map() { # golden_map MAP LANG
  local map=$1 lang=$2 out="$WORK/$1-$2.png" w h
  t_expect_exit 0 -- "$SHOAL" render "$ROOT/styles/$map.yaml" -o "$out" --set "lang=$lang" \
    --scale 0.5 --strict-labels
  read -r w h < <("$SHOAL_IMGDIFF" --size "$out")
  t_golden "article_${map}_${lang}" "$out" 24 $((w * h * 3 / 1000))
}

golden_map south-china-sea en
golden_map spratlys vi
golden_map second-thomas-shoal zh
golden_map north-natuna-sea en
golden_map paracels vi
golden_map overlapping-claims zh

# The print version: vector PDF, with real text (the title and a Vietnamese label).
t_expect_exit 0 -- "$SHOAL" render "$ROOT/styles/spratlys.yaml" -o "$WORK/spratlys-vi.pdf" \
  --set lang=vi --scale 0.5
t_golden article_spratlys_vi_pdf "$WORK/spratlys-vi.pdf" 24 2000
t_check "PDF text has the Vietnamese title" \
  bash -c "pdftotext '$WORK/spratlys-vi.pdf' - | grep -qF 'Quần đảo Trường Sa'"
t_check "PDF text has a feature label" \
  bash -c "pdftotext '$WORK/spratlys-vi.pdf' - | grep -qF 'Đá Chữ Thập'"

t_done
