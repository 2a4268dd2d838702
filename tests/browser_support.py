"""Debian's chromium, headless through chromedriver, for the browser tests. Importing this module
skips the importing test module when chromium, chromedriver or selenium is missing."""

import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path(shutil.which("chromedriver") or "/usr/bin/chromedriver")
if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
    pytest.skip(
        "needs Debian's chromium and chromium-driver (/usr/bin/chromium, chromedriver)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver")


def start_chromium(*, phone: dict | None = None, lang: str | None = None):
    """A headless chromium at 1280 x 900, or emulating the phone's device metrics; its console
    log kept for the tests to read."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
    ):
        options.add_argument(argument)
    if lang:
        options.add_argument(f"--lang={lang}")
    if phone:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": phone})
    else:
        options.add_argument("--window-size=1280,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver
