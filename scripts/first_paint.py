"""First paint of pages on emulated slow 3G, as a phone on a bad connection sees it.

    python scripts/first_paint.py BASE_URL [PATH ...]   # a server already running
    python scripts/first_paint.py --serve [PATH ...]    # what `make first-paint` runs

With a BASE_URL it starts nothing: it loads each path (by default a guide and the
consultation form) in Chromium through Playwright, in a fresh browser context with the
cache disabled, under Chrome DevTools' "Slow 3G" network profile, and prints first paint
and first contentful paint (performance.getEntriesByType("paint")): the median of RUNS
runs, and each run. With --serve it first prepares and starts the production
configuration exactly as `make bench` does (scripts/bench.py: gunicorn, DEBUG off,
WhiteNoise, collected static files) inside scripts/with_database.py, and measures that.

gunicorn does not compress pages; deploy/nginx.conf does, so a page served through the
proxy arrives in fewer bytes than measured here: these figures are the slower case.
"""

import os
import statistics
import sys
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TARGET_MS = 3000  # first contentful paint on slow 3G (issue 19)
PATHS = ["/learn/overdose-what-to-do/", "/consultation/"]
RUNS = int(os.environ.get("FIRST_PAINT_RUNS", "3"))
# Chrome DevTools' "Slow 3G" preset (the Lighthouse/DevTools figure of 400 ms RTT and
# 400 Kbit/s each way): DevTools applies request latency as RTT x 5 when it throttles
# per request through the protocol, as this does.
SLOW_3G = {
    "offline": False,
    "latency": 400 * 5,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}
PROFILE = (
    'Chrome DevTools "Slow 3G": 400 ms RTT (2,000 ms request latency as DevTools applies '
    "it), 400 Kbit/s down, 400 Kbit/s up, cache disabled, CPU slowed 4x"
)
CPU_SLOWDOWN = 4
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PAINTS_JS = """() => Object.fromEntries(
    performance.getEntriesByType("paint").map(entry => [entry.name, entry.startTime]))"""


def load_once(browser, url: str) -> tuple[float, float, int]:
    """(first paint, first contentful paint, stylesheet requests) in ms for one cold load."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        # A cheap phone's processor, as Lighthouse's mobile run assumes.
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        stylesheets = []
        page.on("request", lambda r: r.resource_type == "stylesheet" and stylesheets.append(r))
        response = page.goto(url, wait_until="load", timeout=120_000)
        if response is None or response.status != 200:
            raise RuntimeError(f"{url} answered {response and response.status}, not 200")
        paints = page.evaluate(PAINTS_JS)
        return paints["first-paint"], paints["first-contentful-paint"], len(stylesheets)
    finally:
        context.close()


def measure(base: str, paths: list[str]) -> list[str]:
    """The printed lines: each path's medians over RUNS cold loads, and every run."""
    from playwright.sync_api import sync_playwright  # a dev requirement, not the site's

    lines = [f"First paint on emulated slow 3G, {base}", PROFILE, f"median of {RUNS} runs", ""]
    lines.append(
        f"{'page':34} {'FP ms':>7} {'FCP ms':>7} {'CSS files':>9}  {'target':18}  runs (FCP)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            for path in paths:
                runs = [load_once(browser, base.rstrip("/") + path) for _ in range(RUNS)]
                fp = statistics.median(run[0] for run in runs)
                fcp = statistics.median(run[1] for run in runs)
                each = ", ".join(f"{run[1]:.0f}" for run in runs)
                target = f"< {TARGET_MS / 1000:.0f} s {'met' if fcp < TARGET_MS else 'NOT met'}"
                lines.append(f"{path:34} {fp:7.0f} {fcp:7.0f} {runs[0][2]:9}  {target:18}  {each}")
        finally:
            browser.close()
    return lines


def serve_and_measure(paths: list[str]) -> list[str]:
    """Prepare and start the production configuration as `make bench` does, then measure."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench  # scripts/bench.py: the same settings, static files and gunicorn

    print("Preparing the production configuration ...", flush=True)
    bench.prepare_site()
    server, base = bench.start_gunicorn("recovery_site.wsgi:application", env=bench.ENV,
                                        up="/healthz")  # fmt: skip
    try:
        return measure(base, paths)
    finally:
        bench.stop(server)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 2
    paths = argv[1:] or PATHS
    lines = serve_and_measure(paths) if argv[0] == "--serve" else measure(argv[0], paths)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
