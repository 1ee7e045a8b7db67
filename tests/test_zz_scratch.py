import os
from browser_support import PHONE, new_page
from test_browser_path import patient_in_browser
from test_wizard import LONG_BOTOX, opening

OUT = "/work/scratch/shots/"


def test_shots(browser, live_server):
    for size in os.environ.get("SIZES", "largest").split(","):
        for scheme in os.environ.get("SCHEMES", "light").split(","):
            page = new_page(browser, viewport=PHONE, color_scheme=scheme)
            steps = opening()[:3] if os.environ.get("WALK") == "emergency" else LONG_BOTOX
            patient_in_browser(live_server, page, steps=None if os.environ.get("WALK") == "emergency" else steps, prefix=opening()[:3] if os.environ.get("WALK") == "emergency" else None)
            for url in os.environ["URLS"].split(","):
                page.goto(f"{live_server.url}/text-size/{size}?next={url}")
                name = url.strip("/").replace("/", "_").split("?")[0] or "start"
                page.screenshot(path=f"{OUT}{name}-{size}-{scheme}.png", full_page=os.environ.get("FULL") == "1")
            page.context.close()
