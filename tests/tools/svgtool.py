#!/usr/bin/env python3
"""Reads Shoal's editable SVG for the tests (standard library only).

  svgtool.py layers FILE          the top-level layer group ids, one a line
  svgtool.py texts FILE ID        how many <text> elements group ID holds
  svgtool.py drop FILE ID OUT     FILE without the layer group ID, written to OUT
  svgtool.py strings FILE         every <text>'s characters, one a line
Exits 1 when FILE is not well-formed XML (with the parser's message)."""
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
INK = "{http://www.inkscape.org/namespaces/inkscape}"


def layers(root):
    return [g for g in root if g.tag == SVG + "g" and g.get(INK + "groupmode") == "layer"]


def main(argv):
    cmd, path = argv[1], argv[2]
    ET.register_namespace("", SVG[1:-1])
    ET.register_namespace("inkscape", INK[1:-1])
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    root = tree.getroot()
    if cmd == "layers":
        for g in layers(root):
            print(g.get("id"))
    elif cmd == "texts":
        g = [g for g in layers(root) if g.get("id") == argv[3]]
        print(len(list(g[0].iter(SVG + "text"))) if g else 0)
    elif cmd == "drop":
        for g in layers(root):
            if g.get("id") == argv[3]:
                root.remove(g)
        tree.write(argv[4], encoding="UTF-8", xml_declaration=True)
    elif cmd == "strings":
        for t in root.iter(SVG + "text"):
            print("".join(t.itertext()))
    else:
        print(__doc__, file=sys.stderr)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
