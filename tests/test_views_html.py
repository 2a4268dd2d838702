"""Every page: valid HTML (a strict HTML5 parse), a title that says what is shown, a language,
a phone-width viewport, unique ids, and internal links that resolve."""

from urllib.parse import urlsplit

import pytest
from views_support import page, text

PAGES = {
    "/?lang=en": "Zhengzhou economy knowledge graph",
    "/article?lang=en": "Article",
    "/search?q=%E4%B8%AD%E6%AC%A7&lang=en": "中欧",
    "/downloads?lang=en": "Downloads",
    "/ontology?lang=en": "Ontology",
    "/query?lang=en": "Query",
    "/class/?lang=en": "Classes",
    "/class/zz:Indicator?lang=en": "Indicator",
    "/id/place/zhengzhou?lang=en": "Zhengzhou",
    "/id/observation/nev-output-2024-jan-nov?lang=en": "vehicles produced",
    "/id/indicator/growth-rate?lang=en": "growth rate",
    "/id/place/zhengzhou?lang=zh": "郑州",
    "/figures?lang=en": "All the figures",
    "/figures?lang=zh&entity=place/zhengzhou&sort=value&desc=1": "全部数字",
    "/id/quote/1109-1134?lang=en": "今年1~11月",
    "/id/statement/route.zhengzhou-paris-air-cargo--destination--place.paris?lang=en": "Paris",
    "/id/claim/air-freight-historic-high?lang=zh": "货邮",
    "/search?q=13.1%E4%B8%87&lang=zh": "13.1万",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_pages_are_valid_and_say_what_they_show(client, path):
    root = page(client.get(path))
    assert PAGES[path] in text(root.find(".//title"))
    assert root.get("lang") in ("zh", "en")
    viewport = [m for m in root.iter("meta") if m.get("name") == "viewport"]
    assert viewport and "width=device-width" in viewport[0].get("content")
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for form_field in root.iter("input"):
        if form_field.get("type") not in ("hidden", "submit"):
            assert any(label.get("for") == form_field.get("id") for label in root.iter("label"))


def test_internal_links_resolve(client):
    seen = set()
    for start in ("/?lang=en", "/id/industry/new-energy-vehicles?lang=en", "/id/place/zhengzhou"):
        for anchor in page(client.get(start)).iter("a"):
            href = anchor.get("href", "")
            parts = urlsplit(href)
            if parts.scheme or not parts.path.startswith("/") or parts.path in seen:
                continue
            seen.add(parts.path)
            # /dataset (linked from Zhengzhou's page by the VoID's dct:spatial) sends browsers
            # on to the home page
            response = client.get(
                href.split("#")[0], headers={"Accept": "text/html"}, follow_redirects=True
            )
            with response:
                assert response.status_code == 200, href
    assert len(seen) > 30
