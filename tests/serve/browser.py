"""Drive `shoal serve`'s page in headless Chromium (selenium + chromedriver) and check what a
user sees: a save shows on the page within 2 s, a click names the feature, the language switch
shows Vietnamese names. Optionally saves a screenshot and measures save-to-pixels latency.

    browser.py BASE_URL MAP_COPY [--screenshot PNG] [--bench N] [--land LON,LAT ...]

MAP_COPY is a scratch copy of a map file whose land layer says `use: land` (its colour is
changed and restored). Prints "ok - ..." / "FAIL - ..." lines; exit 1 on any failure.
"""
import argparse
import base64
import json
import os
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from pngrows import read_png  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

FAILS = 0


def check(ok, what, detail=""):
    global FAILS
    print(("ok - " if ok else "FAIL - ") + what + (f"\n    {detail}" if detail and not ok else ""))
    if not ok:
        FAILS += 1


def api(base, path):
    with urllib.request.urlopen(base + path, timeout=20) as r:
        return json.loads(r.read().decode())


def start_driver():
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1700,1100", "--force-device-scale-factor=1",
              "--disable-background-networking", "--no-first-run"):
        opts.add_argument(a)
    opts.binary_location = "/usr/bin/chromium"
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver") \
        if hasattr(webdriver, "ChromeService") else None
    if service:
        return webdriver.Chrome(options=opts, service=service)
    return webdriver.Chrome(options=opts)


def screen_pixel(drv, x, y):
    """The colour on the page at CSS pixel (x, y) of the map image: a 1-pixel screenshot of
    the page (DevTools Page.captureScreenshot with a clip), so it is what the user sees."""
    rect = drv.execute_script(
        "const r = document.getElementById('map').getBoundingClientRect();"
        "return [r.left + window.scrollX, r.top + window.scrollY];")
    clip = {"x": rect[0] + x, "y": rect[1] + y, "width": 1, "height": 1, "scale": 1}
    shot = drv.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": clip})
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(base64.b64decode(shot["data"]))
        f.flush()
        w, h, bpp, rows = read_png(f.name)
    return tuple(rows[0][0:3])


def wait_image(drv, timeout=15):
    WebDriverWait(drv, timeout).until(lambda d: d.execute_script(
        "const m = document.getElementById('map');"
        "return m.complete && m.naturalWidth > 0;"))


def set_land(path, colour):
    """Give the land layer of the map copy its own fill (or none: colour None)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out = [ln for ln in lines if "# browser-test" not in ln]
    if colour:
        i = out.index("    use: land")
        out.insert(i + 1, f'    fill: "{colour}"  # browser-test')
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    os.replace(tmp, path)  # as editors save: a new file renamed over the old one


def hexrgb(c):
    return tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))


def near(a, b, tol=6):
    return a is not None and all(abs(x - y) <= tol for x, y in zip(a, b))


def find_land(base, drv, cands, land):
    for lon, lat in cands:
        j = api(base, f"/api/inspect?lon={lon}&lat={lat}")
        layers = [L["layer"] for L in j["layers"]]
        if layers == ["land"] and near(screen_pixel(drv, j["x"], j["y"]), land, 3):
            return j["x"], j["y"]
    return None


def colour_change(drv, path, pt, colour, timeout, want=None):
    """Save the map with a new land colour (None: the style's again, want); seconds until the
    page shows it, or None."""
    want = want or hexrgb(colour)
    t0 = time.monotonic()
    set_land(path, colour)
    while time.monotonic() - t0 < timeout:
        if near(screen_pixel(drv, *pt), want):
            return time.monotonic() - t0
        time.sleep(0.02)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("map")
    ap.add_argument("--screenshot")
    ap.add_argument("--bench", type=int, default=0)
    ap.add_argument("--land", action="append", default=[])
    ap.add_argument("--feature", default="115.86667,9.73333,Second Thomas Shoal")
    ap.add_argument("--vi", default="Bãi Cỏ Mây")
    a = ap.parse_args()
    base = a.base.rstrip("/")
    cands = [tuple(float(v) for v in s.split(",")) for s in a.land] or \
        [(118.45, 9.55), (118.2, 9.3), (118.9, 10.2), (117.9, 9.0), (119.1, 10.6)]
    drv = start_driver()
    try:
        drv.get(base + "/")
        wait_image(drv)
        time.sleep(0.5)
        check(drv.find_element(By.ID, "errors").get_attribute("hidden") is not None,
              "the page opens with the map and no errors")
        land0 = hexrgb("#f3f0ea")
        pt = find_land(base, drv, cands, land0)
        check(pt is not None, "a land pixel on the page has the house land colour")
        if pt is None:
            return
        if a.bench:
            times = []
            for i in range(a.bench):
                s = colour_change(drv, a.map, pt, "#ff00ff" if i % 2 == 0 else "#00c0c0", 10)
                if s is not None:
                    times.append(s)
            times.sort()
            if times:
                print(f"# save-to-pixels over {len(times)} saves: median {times[len(times)//2]:.3f} s,"
                      f" min {times[0]:.3f} s, max {times[-1]:.3f} s")
            set_land(a.map, None)
            return
        secs = colour_change(drv, a.map, pt, "#ff00ff", 2.0)
        check(secs is not None, "a new land colour saved in the map file shows on the page within 2 s",
              f"pixel is {screen_pixel(drv, *pt)}")
        if secs is not None:
            print(f"# shown {secs:.2f} s after the save")
        secs = colour_change(drv, a.map, pt, None, 2.0, land0)
        check(secs is not None, "restoring the file shows the style's land colour within 2 s too")
        # inspect: click the feature, read its name from the panel
        lon, lat, name = a.feature.split(",", 2)
        j = api(base, f"/api/inspect?lon={lon}&lat={lat}")
        img = drv.find_element(By.ID, "map")
        w, h = img.size["width"], img.size["height"]
        ActionChains(drv).move_to_element_with_offset(img, int(j["x"] - w / 2),
                                                      int(j["y"] - h / 2)).click().perform()
        try:
            WebDriverWait(drv, 5).until(lambda d: name in d.find_element(By.ID, "hits").text)
            ok = True
        except Exception:
            ok = False
        check(ok, f"clicking {name} names it in the inspect panel",
              drv.find_element(By.ID, "hits").text[:300])
        where = drv.find_element(By.ID, "where").text
        check("°" in where and "′" in where, "hovering shows degrees and minutes", where)
        if a.screenshot:
            drv.find_element(By.ID, "debug").click()
            time.sleep(1.5)
            drv.save_screenshot(a.screenshot)
            drv.find_element(By.ID, "debug").click()
        # language
        Select(drv.find_element(By.ID, "lang")).select_by_value("vi")
        try:
            WebDriverWait(drv, 10).until(
                lambda d: a.vi in d.find_element(By.ID, "title").text)
            ok = True
        except Exception:
            ok = False
        check(ok, f"switching the language to Vietnamese shows '{a.vi}'",
              drv.find_element(By.ID, "title").text)
        labels = api(base, "/api/labels")
        vi = [L["text"] for L in labels["labels"] if L["placed"] and L["text"] == a.vi]
        check(bool(vi), f"the map drawn in Vietnamese places the label '{a.vi}'")
    finally:
        drv.quit()


if __name__ == "__main__":
    main()
    sys.exit(1 if FAILS else 0)
