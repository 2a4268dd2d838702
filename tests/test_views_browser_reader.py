"""The pages as a reader meets them, in a real browser (Debian's chromium, headless, through
chromedriver) on the session's real build, at 1280 px and with 390 px phone emulation: falls
signed, the figure's sentence in the first screenful, quote to article in one click, the
all-figures table's facets, sorting and downloads, search for figures, the query UI's 400 and
403, no horizontal overflow, no console errors; and, over HTTP, no dead fragment link on any
page of the sitemap. Screenshots of the main pages go to build/screenshots/ (git-ignored).
Skipped when chromium or chromedriver is not installed."""

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import html5lib
import pytest
import requests
from browser_support import start_chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
BASE = "https://zzkg.example.org/"
ZZ = BASE + "ontology#"
NEV = "/id/observation/nev-output-2024-jan-nov"
FALLS = (
    "/id/observation/criminal-cases-decrease-2024",
    "/id/observation/telecom-fraud-reports-decrease-2024",
)
QUOTE = "/id/quote/1109-1134"
STATEMENT = "/id/statement/route.zhengzhou-paris-air-cargo--destination--place.paris"
MAIN_PAGES = {
    "home-zh": "/?lang=zh",
    "home-en": "/?lang=en",
    "figures": "/figures?lang=zh",
    "figures-filtered": "/figures?lang=en&entity=place/zhengzhou&sort=value",
    "article": "/article?lang=zh",
    "article-headings": "/article?lang=zh#p-7",
    "article-cite": "/article?lang=en#cite",
    "city": "/id/place/zhengzhou?lang=zh",
    "city-en": "/id/place/zhengzhou?lang=en",
    "city-figures": "/id/place/zhengzhou?lang=en#observations",
    "observation": NEV + "?lang=en",
    "observation-assumed": FALLS[1] + "?lang=zh",
    "quote": QUOTE + "?lang=en",
    "statement": STATEMENT + "?lang=en",
    "claim": "/id/claim/air-freight-historic-high?lang=zh",
    "indicator": "/id/indicator/growth-rate?lang=en",
    "search": "/search?q=13.1%E4%B8%87&lang=zh",
    "query": "/query?lang=en",
    "ontology": "/ontology?lang=en",
    "downloads": "/downloads?lang=en",
    "classes": "/class/?lang=zh",
}
EDITOR_TEXT = "return document.querySelector('.CodeMirror').CodeMirror.getValue()"
SIZES = {"desktop": None, "phone": {"width": 390, "height": 844, "pixelRatio": 2}}


@pytest.fixture(scope="module", params=list(SIZES))
def browser(request):
    driver = start_chromium(phone=SIZES[request.param])
    driver.size_name = request.param
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def site(embedded_server):
    return embedded_server.url


def console_errors(driver, *, expected_statuses: tuple[int, ...] = ()) -> list[str]:
    """SEVERE console entries, except the network log of a refusal the test asked for."""
    found = []
    for entry in driver.get_log("browser"):
        if entry["level"] != "SEVERE":
            continue
        message = entry["message"]
        if any(f"status of {status}" in message for status in expected_statuses):
            continue
        found.append(message)
    return found


def wait(driver, condition, seconds: float = 20):
    return WebDriverWait(driver, seconds).until(condition)


def overflow(driver) -> int:
    return driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_main_pages_fit_the_screen_without_console_errors(browser, site, name):
    open_page(browser, site + MAIN_PAGES[name])
    if name == "query":
        wait(browser, ready.presence_of_element_located((By.CSS_SELECTOR, ".yasqe_queryButton")))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}-{browser.size_name}.png"))
    assert overflow(browser) <= 0, name
    assert console_errors(browser) == [], name


def test_falls_show_their_sign_in_charts_tables_tooltips_and_panels(browser, site):
    open_page(browser, site + "/id/place/zhengzhou?lang=zh")
    values = [el.text for el in browser.find_elements(By.CSS_SELECTOR, "figure.chart .bar-value")]
    falls = [value for value in values if "17.3" in value or "20%" in value]
    assert falls and all(value.startswith("下降") for value in falls)
    tooltips = browser.execute_script(
        "return [...document.querySelectorAll('figure.chart a title')].map(t => t.textContent)"
    )
    assert any("下降17.3%" in tip and "时期推定" in tip for tip in tooltips)
    left_of_zero = browser.execute_script(
        "const zero = +document.querySelector('figure.chart .axis').getAttribute('x1');"
        "return [...document.querySelectorAll('figure.chart rect.bar-fall')]"
        ".every(r => +r.getAttribute('x') + +r.getAttribute('width') <= zero + 0.01)"
    )
    assert left_of_zero
    open_page(browser, site + "/figures?lang=en&sort=value")
    first = browser.find_element(By.CSS_SELECTOR, "table.all-figures tbody tr .figure")
    assert first.text.startswith("\u2212") and "fall" in first.get_attribute("class")
    open_page(browser, site + "/article?lang=zh")
    panel_values = [
        el.text
        for path in FALLS
        for el in browser.find_elements(By.CSS_SELECTOR, f".panel li:has(a[href='{path}']) .figure")
    ]
    assert len(panel_values) == 2 and all(v.startswith("下降") for v in panel_values)
    assert console_errors(browser) == []


def test_an_observation_page_opens_with_its_sentence(browser, site):
    open_page(browser, site + NEV + "?lang=en")
    sentence = browser.find_element(By.CSS_SELECTOR, ".figure-sentence")
    assert sentence.text.startswith("529,000 vehicles (52.9万辆), January–November 2024, reported")
    bottom = browser.execute_script("return arguments[0].getBoundingClientRect().bottom", sentence)
    assert bottom <= browser.execute_script("return window.innerHeight")
    quote_top = browser.execute_script(
        "return document.querySelector('blockquote.quote').getBoundingClientRect().top"
    )
    facts_top = browser.execute_script(
        "return document.querySelector('#outgoing').getBoundingClientRect().top"
    )
    assert bottom <= quote_top < facts_top
    open_page(browser, site + FALLS[1] + "?lang=en")
    marks = [el.text for el in browser.find_elements(By.CSS_SELECTOR, ".figure-sentence .caveat")]
    assert "period assumed" in marks
    assert browser.find_element(By.CSS_SELECTOR, ".figure-sentence").text.startswith("\u221220%")


def test_a_quote_leads_to_its_place_in_the_article_in_one_click(browser, site):
    open_page(browser, site + QUOTE + "?lang=zh")
    assert (
        browser.find_element(By.TAG_NAME, "h1").text
        == "“今年1~11月,全市新能源汽车实际下线52.9万辆”"
    )
    assert browser.find_element(By.CSS_SELECTOR, "dd.prefix").text.endswith("硕果累累。")
    browser.find_element(By.CSS_SELECTOR, "#position a.to-article").click()
    wait(browser, ready.url_contains("/article"))
    target = urlsplit(browser.current_url).fragment
    assert target == "q-1109-1134"
    anchor = browser.find_element(By.ID, target)
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", anchor)
    assert -2 <= top < browser.execute_script("return window.innerHeight")
    open_page(browser, site + STATEMENT + "?lang=en")
    sentence = browser.find_element(By.CSS_SELECTOR, ".statement-sentence").text
    assert "Paris" in sentence and "destination" in sentence
    assert "statement/" not in browser.find_element(By.TAG_NAME, "h1").text


def test_the_figures_table_filters_sorts_and_downloads_what_it_shows(browser, site, store):
    open_page(browser, site + "/figures?lang=en")
    total = len(browser.find_elements(By.CSS_SELECTOR, "table.all-figures tbody tr"))
    browser.find_element(By.CSS_SELECTOR, "#facet-entity summary").click()
    browser.find_element(By.CSS_SELECTOR, "#facet-entity a[data-key='place/zhengzhou']").click()
    wait(browser, ready.url_contains("entity=place"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.all-figures tbody tr")
    expected = {
        row["obs"].value
        for row in store.query(
            f"PREFIX zz: <{ZZ}> SELECT ?obs WHERE {{ GRAPH ?g {{ ?obs a zz:Observation ;"
            f" zz:about <{BASE}id/place/zhengzhou> }} }}"
        )
    }
    assert {row.get_attribute("data-iri") for row in rows} == expected and len(rows) < total
    (sort,) = [
        a for a in browser.find_elements(By.CSS_SELECTOR, "a[data-sort=value]") if a.is_displayed()
    ]
    sort.click()
    wait(browser, ready.url_contains("sort=value"))
    values = browser.execute_script(
        "return [...document.querySelectorAll('table.all-figures tbody .figure[data-value]')]"
        ".map(e => +e.dataset.value)"
    )
    assert values == sorted(values)
    csv_url = browser.find_element(By.ID, "as-csv").get_attribute("href")
    rows = list(csv.DictReader(io.StringIO(requests.get(csv_url, timeout=10).text)))
    assert {row["iri"] for row in rows} == expected
    json_url = browser.find_element(By.ID, "as-json").get_attribute("href")
    assert {row["iri"] for row in requests.get(json_url, timeout=10).json()["rows"]} == expected
    assert console_errors(browser) == []


def test_search_finds_figures_and_shows_them(browser, site):
    open_page(browser, site + "/?lang=zh")
    box = browser.find_element(By.ID, "search-q")
    box.send_keys("13.1万")
    first = wait(
        browser, ready.visibility_of_element_located((By.CSS_SELECTOR, "#search-suggestions li"))
    )
    assert "13.1万人" in first.text and "时期推定" in first.text
    box.send_keys(Keys.ENTER)
    wait(browser, ready.url_contains("/search"))
    result = browser.find_element(By.CSS_SELECTOR, "ol.results li")
    assert result.get_attribute("data-kind") == "figure"
    assert "13.1万人" in result.find_element(By.CSS_SELECTOR, ".figure").text
    open_page(browser, site + "/search?q=airport&lang=en")
    assert "telecom" not in browser.find_element(By.TAG_NAME, "main").text
    assert console_errors(browser) == []


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("SELECT * WHERE { ?s ?p }", "400", "Malformed query"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "403", "SERVICE"),
        ("SELECT * WHERE { ?s foo:bar ?o }", "400", "foo:"),
    ],
)
def test_the_query_ui_shows_the_servers_status_and_message(browser, site, query, status, says):
    open_page(browser, site + "/query?lang=en")
    button = wait(browser, ready.element_to_be_clickable((By.CSS_SELECTOR, ".yasqe_queryButton")))
    browser.execute_script(
        "document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", query
    )
    wait(browser, lambda d: d.execute_script(EDITOR_TEXT) == query)
    button.click()
    shown = wait(browser, ready.visibility_of_element_located((By.ID, "query-status")))
    wait(browser, lambda d: shown.text.startswith(status), 10)
    assert says in shown.text and "\\u{" not in shown.text
    assert console_errors(browser, expected_statuses=(400, 403)) == []


def test_the_query_ui_opens_with_a_query_about_this_dataset(browser, site):
    open_page(browser, site + "/query?lang=en")
    wait(browser, ready.element_to_be_clickable((By.CSS_SELECTOR, ".yasqe_queryButton"))).click()
    rows = wait(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr") or False, 30
    )
    assert len(rows) >= 10
    text = browser.execute_script(
        "return document.querySelector('.CodeMirror').CodeMirror.getValue()"
    )
    assert "PREFIX zz: <https://zzkg.example.org/ontology#>" in text and "indicator:" in text
    assert console_errors(browser) == []


def test_no_page_of_the_sitemap_links_to_a_missing_fragment(site):
    """Every link with a #fragment to a page of this site, from every page of the sitemap,
    points at an element with that id."""
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.fromstring(requests.get(site + "/sitemap.xml", timeout=30).content)
    pages = [
        loc.text
        for part in index.iter(namespace + "loc")
        for loc in ET.fromstring(requests.get(part.text, timeout=30).content).iter(
            namespace + "loc"
        )
    ]
    assert len(pages) > 400
    session = requests.Session()
    ids: dict[str, set[str]] = {}
    hrefs: dict[str, list[str]] = {}

    def ids_of(url: str) -> set[str]:
        if url not in ids:
            response = session.get(url, headers={"Accept": "text/html"}, timeout=30)
            assert response.status_code == 200, url
            tree = html5lib.parse(response.text, namespaceHTMLElements=False)
            ids[url] = {element.get("id") for element in tree.iter() if element.get("id")}
            hrefs[url] = [a.get("href") for a in tree.iter("a") if a.get("href")]
        return ids[url]

    dead = []
    for url in pages:
        local = url.replace(urlsplit(url).netloc, urlsplit(site).netloc, 1)
        ids_of(local)
        for link in hrefs[local]:
            target = urljoin(local, link)
            page_url, fragment = urldefrag(target)
            if not fragment or urlsplit(page_url).netloc != urlsplit(site).netloc:
                continue
            if fragment not in ids_of(page_url):
                dead.append((local, link))
    assert dead == []
