#!/bin/bash
# The house-rule checkers catch what they promise: scripts/check-includes on an include that
# goes up or sideways, scripts/check-sizes on a long file and a long function, and both pass
# on a tree that keeps the rules. ($1, the shoal binary, is unused.)
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

src=$WORK/src
mkdir -p "$src/base" "$src/geo" "$src/config" "$src/label" "$src/core"
printf '#include "base/status.h"\n' >"$src/geo/ok.c"
printf '#include "core/scene.h"\n#include "base/diag.h"\n' >"$src/label/up.c"
printf '/* x */\n#include "config/model.h"\n' >"$src/geo/side.c"

t_expect_exit 1 -- python3 "$ROOT/scripts/check-includes" "$src"
t_expect_stdout_has 'label/up.c:1'
t_expect_stdout_has 'core/scene.h'
t_expect_stdout_has 'geo/side.c:2'
t_expect_stdout_has 'config/model.h'
rm "$src/label/up.c" "$src/geo/side.c"
t_expect_exit 0 -- python3 "$ROOT/scripts/check-includes" "$src"

# A function of 81 lines (signature, brace, 78 statements, brace) and a file of 601 lines.
{
    printf 'int f(void)\n{\n'
    for _ in $(seq 78); do printf '  x++;\n'; done
    printf '}\n'
} >"$src/core/long.c"
t_expect_exit 1 -- python3 "$ROOT/scripts/check-sizes" "$src"
t_expect_stdout_has "core/long.c:1: function 'int f(void)' is 81 lines (at most 80)"
sed -i '3d' "$src/core/long.c" # 80 lines: allowed
t_expect_exit 0 -- python3 "$ROOT/scripts/check-sizes" "$src"
# A table is not a function, however long.
{
    printf 'static const int t[] = {\n'
    for _ in $(seq 590); do printf '  1,\n'; done
    printf '};\n'
} >"$src/core/table.c"
t_expect_exit 0 -- python3 "$ROOT/scripts/check-sizes" "$src"
for _ in $(seq 9); do printf '/* more */\n'; done >>"$src/core/table.c"
t_expect_exit 1 -- python3 "$ROOT/scripts/check-sizes" "$src"
t_expect_stdout_has "core/table.c: 601 lines (at most 600"
t_done
