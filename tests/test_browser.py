"""The page in a real headless Chromium: type a description, click Classify, see 5A992.c for a consumer router.

Needs Debian's chromium and chromium-driver (``make test`` installs them when run as root); the test is
skipped, saying why, where they cannot be found.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)),
    reason="Debian chromium and chromium-driver are not installed (make test installs them when run as root)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server():  # type: ignore[no-untyped-def]
    port = free_port()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"app.py exited: {proc.stdout.read() if proc.stdout else ''}")
            time.sleep(1)
    else:
        proc.kill()
        pytest.fail("app.py did not start within 300 s")
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1400,2200",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def test_a_consumer_wifi_router_is_classified_5a992c_in_the_page(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server)
    wait = WebDriverWait(browser, 120)
    box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#description textarea")))
    assert "do not replace" in browser.page_source
    box.send_keys("Dual-band Wi-Fi 6 home router with WPA3, sold in electronics stores")
    browser.find_element(By.CSS_SELECTOR, "#classify-button").click()
    first = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#suggestions .suggestion")))
    assert first.get_attribute("data-eccn") == "5A992.c"
    assert "mass-market" in browser.page_source
    screenshots = Path(os.environ.get("ECCN_SCREENSHOTS", tmp_path))  # set it to refresh docs/screenshots
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "classify.png"))
    assert (screenshots / "classify.png").stat().st_size > 10_000


def test_the_triage_tab_queues_an_uploaded_file_and_opens_an_application(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    applications = tmp_path / "applications.csv"
    applications.write_text(
        "id,description,destination,claimed_eccn,end_user\n"
        "mugs,Ceramic coffee mugs,Canada,EAR99,Maple Leaf Home Goods Ltd.\n"
        "uav,Unmanned aerial vehicle carrying a 600 kg payload to a range of 400 km,China,EAR99,"
        "Daotong Intelligent Aviation Technology Shenzhen Limited Liability Company\n",
        encoding="utf-8",
    )
    browser.get(server)
    wait = WebDriverWait(browser, 180)
    wait.until(ec.element_to_be_clickable((By.XPATH, "//button[@role='tab' and contains(., 'Triage')]"))).click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#triage-file input[type=file]"))).send_keys(
        str(applications)
    )
    time.sleep(2)  # the upload finishes before the button reads it
    browser.find_element(By.CSS_SELECTOR, "#triage-button").click()
    wait.until(lambda b: "2 applications" in b.page_source)
    rows = browser.find_element(By.CSS_SELECTOR, "#queue").text
    assert rows.index("uav") < rows.index("mugs")  # the high-priority application comes first
    browser.find_element(By.CSS_SELECTOR, "#triage-open input").click()
    wait.until(ec.element_to_be_clickable((By.XPATH, "//ul[@role='listbox']//li[contains(., 'uav')]"))).click()
    wait.until(lambda b: "Entity List" in b.find_element(By.CSS_SELECTOR, "#triage-detail").text)
    detail = browser.find_element(By.CSS_SELECTOR, "#triage-detail").text
    assert "MTCR Category I" in detail and "744.11" in detail
    screenshots = Path(os.environ.get("ECCN_SCREENSHOTS", tmp_path))
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "triage.png"))
