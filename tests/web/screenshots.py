"""Screenshots of every web page, taken in Debian's Chromium over the demo organisation.

    python tests/web/screenshots.py [--db URL] [--home DIR] [--out docs/screenshots]   # or `make screenshots`

Loads the demo org into the store when it is empty (and builds the indexes), serves the app on a
free loopback port, signs in with temporary keys (revoked afterwards) and saves one full-page PNG
per page. Prints the server time of each page (its ``Server-Timing``, read in the browser).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

from browser_harness import chromium, serve, sign_in  # noqa: E402

from engine.api import Skillgraph  # noqa: E402
from engine.config import Config  # noqa: E402
from engine.demo_run import load_demo_org  # noqa: E402
from service.app import create_app  # noqa: E402
from service.keys import KeyStore  # noqa: E402
from service.settings import Settings  # noqa: E402

# (file name, key, path, what it shows[, the one element to capture instead of the whole page])
PAGES: list[tuple[str, ...]] = [
    ("01-sign-in", None, "/app/", "sign-in with an API key"),
    ("02-employee-next-roles", "employee", "/app/me",
     "an employee's next roles, gaps, mentors, opportunities, route and career map"),
    ("03-employee-all-moves", "employee", "/app/me?direction=any&target=nurse-manager",
     "all moves, a management-track target"),
    ("04-forbidden", "employee", "/app/employees/E0002", "an employee opening another person's page: 403"),
    ("05-roles", "recruiter", "/app/roles?open=1", "the role picker (roles with open positions)"),
    ("06-recruiter-shortlist", "recruiter", "/app/roles/registered-nurse", "a role's internal shortlist"),
    ("07-shortlist-filtered", "recruiter", "/app/roles/registered-nurse?min_readiness=ready_soon&move=promotion",
     "the shortlist filtered: ready soon or better, promotions only"),
    ("15-employee-mentors", "employee", "/app/me", "mentors for the person's next role", "#mentors"),
    ("14-succession-slate", "hr", "/app/roles/nurse-manager?limit=10",
     "a critical role: shortlist (top 10) and succession slate"),
    ("08-analytics", "admin", "/app/analytics?family=nursing",
     "programme figures, mobility analytics and a family's career map"),
    ("12-analytics-programme", "admin", "/app/analytics?by=manager",
     "the programme figures by manager: fill rate, promotions, bottlenecks, hoarding signal", "#programme"),
    ("09-audit", "auditor", "/app/audit", "the audit: impact ratios, decision log, overrides"),
    ("13-audit-impact", "auditor", "/app/audit?category=race_ethnicity",
     "the impact audit by race / ethnicity", "#impact"),
    ("10-api-docs", None, "/docs", "Swagger UI, offline"),
    ("11-api-reference", None, "/redoc", "ReDoc, offline"),
]


def full_page(driver, path: Path, width: int = 1280) -> None:  # type: ignore[no-untyped-def]
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(width, min(int(height) + 20, 6000))
    driver.save_screenshot(str(path))
    driver.set_window_size(width, 900)


def element_shot(driver, css: str, path: Path, width: int = 1280) -> None:  # type: ignore[no-untyped-def]
    """One element of the page (the window made as tall as the page first, so none of it is cut)."""
    from selenium.webdriver.common.by import By

    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(width, min(int(height) + 20, 6000))
    path.write_bytes(driver.find_element(By.CSS_SELECTOR, css).screenshot_as_png)
    driver.set_window_size(width, 900)


def shrink(path: Path) -> None:
    """256-colour PNG: a third of the size, text still crisp (pages use few colours)."""
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def server_ms(driver) -> float | None:  # type: ignore[no-untyped-def]
    timing = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return n ? n.serverTiming.filter(t => t.name === 'app').map(t => t.duration) : [];")
    return float(timing[0]) if timing else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="store URL (default: the usual setting)")
    parser.add_argument("--home", help="index directory (default: the usual setting)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    config = Config.resolve(db=args.db, home=args.home)
    sg = Skillgraph(config).init()
    if load_demo_org(sg):
        print("loaded the demo organisation")
    sg.load()
    app = create_app(Settings.from_config(config, rate_limit_per_minute=0), engine=sg)
    keys = KeyStore(sg.store)
    made = {who: keys.create(who, employee_id="E0001" if who == "employee" else None)
            for who in ("employee", "recruiter", "hr", "admin", "auditor")}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        with serve(app) as base, chromium() as driver:
            signed_in = None
            for name, who, path, what, *element in PAGES:
                if who != signed_in:
                    driver.delete_all_cookies()
                    if who:
                        sign_in(driver, base, made[who][1])
                    signed_in = who
                driver.get(base + path)
                if path in ("/docs", "/redoc"):
                    time.sleep(2.5)  # let the viewers render the spec
                ms = server_ms(driver)
                if path in ("/docs", "/redoc"):
                    driver.save_screenshot(str(out / f"{name}.png"))  # the first screen says enough
                elif element:
                    element_shot(driver, element[0], out / f"{name}.png")
                else:
                    full_page(driver, out / f"{name}.png")
                shrink(out / f"{name}.png")
                timing = f"{ms:6.1f} ms" if ms is not None else "    -    "
                print(f"{name:28s} {timing}  {what}")
    finally:
        for key_id, _ in made.values():
            keys.revoke(key_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
