"""A real browser (Debian's chromium, headless, through chromedriver): search for 中欧 with the
keyboard, open the entity, follow a quote into the article, run an example query in YASGUI, and
no console errors on the way. Skipped when chromium or chromedriver is not installed."""

import pytest
from browser_support import start_chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

RAILWAY = "/id/service/china-europe-railway-express-zhengzhou"


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium(lang="zh-CN")
    yield driver
    driver.quit()


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def wait(driver, condition, seconds: float = 20):
    return WebDriverWait(driver, seconds).until(condition)


def test_search_entity_quote_article_and_query(browser, sparql_server):
    url = sparql_server.url
    browser.get(url + "/?lang=zh")
    assert "郑州经济知识图谱" in browser.title

    box = browser.find_element(By.ID, "search-q")
    box.send_keys("中欧")
    wait(browser, ready.visibility_of_element_located((By.CSS_SELECTOR, "#search-suggestions li")))
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == "suggestion-0"
    box.send_keys(Keys.ENTER)
    wait(browser, ready.url_contains(RAILWAY))
    assert browser.find_element(By.TAG_NAME, "h1").text == "中欧班列"
    assert console_errors(browser) == []

    quote = browser.find_element(By.CSS_SELECTOR, "a.to-article")
    target = quote.get_attribute("href").split("#")[1]
    quote.click()
    wait(browser, ready.url_contains("/article"))
    anchor = browser.find_element(By.ID, target)
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", anchor)
    # scrolled to the anchor: its top at the window's top, within a pixel's rounding
    assert -1 < top < browser.execute_script("return window.innerHeight")
    marked = browser.execute_script("return arguments[0].nextElementSibling.textContent", anchor)
    assert marked
    assert console_errors(browser) == []

    browser.get(url + "/query?lang=en")
    wait(browser, ready.presence_of_element_located((By.CSS_SELECTOR, ".yasqe_queryButton")))
    examples = Select(browser.find_element(By.ID, "example"))
    examples.select_by_index(1)
    assert "query=" in browser.find_element(By.ID, "share").get_attribute("href")
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = wait(
        browser,
        lambda driver: driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr") or False,
        30,
    )
    assert len(rows) >= 1
    local = [
        link.get_attribute("href")
        for link in browser.find_elements(By.CSS_SELECTOR, ".yasr a")
        if "/id/" in (link.get_attribute("href") or "")
    ]
    assert local and all(href.startswith(url + "/id/") for href in local)
    assert console_errors(browser) == []


def test_an_entity_page_fits_a_phone_screen(browser, sparql_server):
    browser.set_window_size(390, 844)
    try:
        browser.get(sparql_server.url + "/id/place/zhengzhou?lang=zh")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.execute_script("return window.innerWidth") + 1
    finally:
        browser.set_window_size(1280, 900)
