#!/usr/bin/env python3
"""Share of PROJ set-up in a callgrind profile: the inclusive instructions of every call that
Shoal's own code makes into libproj, except the per-point ones (proj_trans*, proj_errno*).
That covers parsing CRSs, proj.db (SQLite) searches, building, cloning and freeing
operations, contexts and areas of use; transforming points is not set-up.
    bench/proj_setup_share.py callgrind.out"""
import re
import sys

PER_POINT = ("proj_trans", "proj_errno")


def main(path):
    names, objs = {}, {}  # compressed ids -> names
    ob = fn_ob = cob = None
    cfn = None
    total = setup = 0
    by_fn = {}
    pending = False

    def name(table, s):
        m = re.match(r"\((\d+)\)(?: (.*))?", s)
        if not m:
            return s
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1), "?")

    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
            elif line.startswith("ob="):
                ob = name(objs, line[3:])
            elif line.startswith("fn="):
                fn_ob = ob
                name(names, line[3:])
            elif line.startswith("cob="):
                cob = name(objs, line[4:])
            elif line.startswith("cfn="):
                cfn = name(names, line[4:])
            elif line.startswith("calls="):
                pending = True
            elif pending:
                pending = False
                callee_ob = cob if cob is not None else fn_ob
                cob = None
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if (fn_ob or "").endswith("/shoal") or "shoal" in (fn_ob or "").rsplit("/", 1)[-1]:
                    if "libproj" in (callee_ob or "") and not cfn.startswith(PER_POINT):
                        setup += cost
                        by_fn[cfn] = by_fn.get(cfn, 0) + cost
            elif line.startswith(("fl=", "fi=", "fe=", "cfi=", "cfl=")):
                pass
    print(f"total instructions   {total:>15,}")
    print(f"PROJ set-up          {setup:>15,}  ({100.0 * setup / max(total, 1):.1f} %)")
    for k, v in sorted(by_fn.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {k:<40} {v:>13,}")


if __name__ == "__main__":
    main(sys.argv[1])
