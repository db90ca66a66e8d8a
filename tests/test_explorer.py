"""The explorer (`wirecopy explore`): exact highlights, escaping, determinism, self-containment, the
curves against the committed results, the CLI, and the built site driven in headless Chromium."""

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from wirecopy.benchmarks.tasks import TASKS
from wirecopy.builders.write import to_table, write_parquet
from wirecopy.cli import app
from wirecopy.explorer import plots
from wirecopy.explorer.align import align
from wirecopy.explorer.data import load_release
from wirecopy.explorer.markup import Highlight, highlight
from wirecopy.explorer.scores import task_scores
from wirecopy.explorer.site import build_site

DATASET, RESULTS = REPO / "dataset", REPO / "results"
# Curves for the two small pair tasks keep the build fast; the 3,000-document task is checked below
# with one cheap system.
PLOT_TASKS = ["dedup_articles", "claim_alignment"]
VOID_ELEMENTS = {"meta", "link", "br", "img", "input", "hr", "source", "wbr"}
HOSTILE = "<script>alert(1)</script><b>bold</b> & more"


@pytest.fixture(scope="module")
def release():
    return load_release(DATASET)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("explorer") / "site"
    build_site(DATASET, RESULTS, out, plot_tasks=PLOT_TASKS)
    return out


class PageTexts(HTMLParser):
    """What a browser's textContent gives: the text of every element with ``data-span`` (pieces of one
    span joined, with the first piece's attributes) and of every ``.article-text`` block."""

    def __init__(self, html: str):
        super().__init__()
        self.open: list[tuple[str, dict]] = []
        self.spans: dict[str, dict] = {}
        self.blocks: list[str] = []
        self.feed(html)
        self.close()
        assert not self.open, f"unclosed elements: {self.open}"

    def handle_starttag(self, tag, attributes):
        if tag in VOID_ELEMENTS:
            return
        attributes = dict(attributes)
        self.open.append((tag, attributes))
        if "article-text" in attributes.get("class", "").split():
            self.blocks.append("")
        if "data-span" in attributes:
            entry = self.spans.setdefault(attributes["data-span"], {"attributes": attributes, "text": "", "pieces": 0})
            entry["pieces"] += 1

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        opened, _ = self.open.pop()
        assert opened == tag, f"</{tag}> closes <{opened}>"

    def handle_data(self, data):
        for _, attributes in self.open:
            if "data-span" in attributes:
                self.spans[attributes["data-span"]]["text"] += data
        if any("article-text" in attributes.get("class", "").split() for _, attributes in self.open):
            self.blocks[-1] += data


def gold_spans(article: dict) -> dict[str, dict]:
    """data-span -> the gold span it must highlight (boilerplate by position, claims by id)."""
    spans = {f"bp-{n}": {**span, "key": "data-label", "value": span["label"]} for n, span in enumerate(article["boilerplate_spans"])}
    spans |= {claim["claim_id"]: {**claim, "key": "data-fact", "value": claim["fact_id"]} for claim in article["claims"]}
    return spans


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- markup and alignment on hand cases ----------------------------------------------------------


def test_crossing_spans_nest_and_keep_their_text():
    text = "one <two> three & four"
    outer, crossing = Highlight(0, 9, "mark", (("data-span", "x"),)), Highlight(4, 15, "a", (("data-span", "y"),))
    page = PageTexts(f'<div class="article-text">{highlight(text, [crossing, outer])}</div>')
    assert page.blocks == [text]
    assert {key: entry["text"] for key, entry in page.spans.items()} == {"x": text[0:9], "y": text[4:15]}
    assert page.spans["x"]["pieces"] == 1 and page.spans["y"]["pieces"] == 2


def test_alignment_labels_kept_reworded_added_and_dropped():
    a = "Xi will visit Moscow next week, sources said. The rouble fell sharply on Tuesday."
    b = "Xi will visit Moscow next week, sources said. Sources said that Xi plans a Moscow visit next week. Subscribe to our newsletter."
    passages_a, passages_b = align(a, b)
    assert [p.label for p in passages_a] == ["kept", "dropped"]
    assert [p.label for p in passages_b] == ["kept", "reworded", "added"]
    assert passages_b[1].match == 0 and passages_b[2].match is None


def test_long_curves_are_thinned_to_what_shows():
    recall = [1 - i / 200_000 for i in range(200_001)]
    precision = [0.5 + 0.5 * (i % 7) / 7 for i in range(200_001)]
    svg = str(plots.pr_curves("t", "t", [("system", recall, precision)]))
    points = re.search(r'points="([^"]*)"', svg).group(1).split()
    assert len(points) < 3000 and points[0] == "408,132" and points[-1].startswith("48,")


# --- the built site --------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_gold_span_is_highlighted_once_with_its_exact_text(site, release):
    for article_id, article in release.articles.items():
        page = PageTexts((site / "articles" / f"{article_id}.html").read_text(encoding="utf-8"))
        gold = gold_spans(article)
        assert sorted(page.spans) == sorted(gold), article_id
        for key, span in gold.items():
            found = page.spans[key]
            assert found["pieces"] == 1 and found["text"] == span["text"] == article["text"][span["start"] : span["end"]], (article_id, key)
            assert found["attributes"][span["key"]] == span["value"]
            assert (int(found["attributes"]["data-start"]), int(found["attributes"]["data-end"])) == (span["start"], span["end"])
        assert page.blocks == [article["text"]], "the highlighted text must be the exact text"


@pytest.mark.slow
def test_comparison_pages_show_both_texts_exactly(site, release):
    for pair in release.pairs:
        page = PageTexts((site / "compare" / f"{pair['article_id_a']}--{pair['article_id_b']}.html").read_text(encoding="utf-8"))
        assert page.blocks == [release.articles[pair["article_id_a"]]["text"], release.articles[pair["article_id_b"]]["text"]]
        assert {entry["attributes"]["data-align"] for entry in page.spans.values()} <= {"kept", "reworded", "added", "dropped"}
    same_report = next(p for p in release.pairs if p["relation"] == "same_report")
    html = (site / "compare" / f"{same_report['article_id_a']}--{same_report['article_id_b']}.html").read_text(encoding="utf-8")
    assert 'data-align="reworded"' in html and "same report · grade 2" in html


@pytest.mark.slow
def test_pages_are_self_contained_and_links_resolve(site):
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        for attribute, target in re.findall(r'\b(src|href)="([^"]*)"', html):
            assert not re.match(r"(https?:)?//", target), f"{page.name}: remote {attribute} {target}"
            path = target.split("#", 1)[0]
            if path:
                assert (page.parent / path).is_file(), f"{page.name}: broken link {target}"
            elif target.startswith("#"):
                assert f'id="{target[1:]}"' in html, f"{page.name}: no element {target}"
        assert "@import" not in html and "url(" not in html
        ids = re.findall(r'\bid="([^"]*)"', html)
        assert len(ids) == len(set(ids)), f"{page.name}: duplicate ids"
    assert "url(" not in (site / "assets" / "style.css").read_text(encoding="utf-8")


@pytest.mark.slow
def test_results_page_has_every_table_and_plot(site):
    html = (site / "results.html").read_text(encoding="utf-8")
    for task in TASKS:
        result = json.loads((RESULTS / f"{task}.json").read_text(encoding="utf-8"))
        section = html.split(f'id="task-{task}"', 1)[1].split('<section class="task"', 1)[0]
        assert section.count("<tr><th scope=\"row\">") == len(result["results"])
        has_curves = task in PLOT_TASKS
        assert ("precision-recall" in section) == has_curves and ("--task " + task in section) == (not has_curves and TASKS[task].kind.pairwise)
    # bars per task (7), curves (3 inputs of dedup_articles, 1 of claim_alignment), heatmaps (6 document
    # systems x 3 inputs, 5 claim systems) and their keys (2)
    assert html.count('<svg class="plot"') == 7 + 3 + 1 + 18 + 5 + 2


@pytest.mark.slow
def test_build_is_deterministic(site, tmp_path):
    again = tmp_path / "again"
    build_site(DATASET, RESULTS, again, plot_tasks=PLOT_TASKS)
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert all((site / f).read_bytes() == (again / f).read_bytes() for f in files)


def test_html_in_the_data_renders_as_text(tmp_path, release):
    dataset = Path(shutil.copytree(DATASET, tmp_path / "dataset"))
    article_id = next(iter(release.articles))
    rows = [
        {**a, "text": a["text"] + "\n" + HOSTILE, "title": HOSTILE} if a["article_id"] == article_id else a
        for a in release.articles.values()
    ]
    write_parquet(to_table("articles", rows), dataset / "data/articles/test-00000-of-00001.parquet")
    facts = [{**f, "description": HOSTILE + " </script>"} for f in release.facts.values()]
    write_parquet(to_table("facts", facts), dataset / "data/facts/test-00000-of-00001.parquet")
    site = tmp_path / "site"
    build_site(dataset, RESULTS, site, plot_tasks=[])
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<b>bold" not in html, page.name
        assert re.findall(r"<script\b[^>]*>", html) == [f'<script src="{"../" if page.parent != site else ""}assets/explorer.js">'], page.name
    article_page = (site / "articles" / f"{article_id}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; more" in article_page
    assert PageTexts(article_page).blocks == [rows[0]["text"]]


@pytest.mark.slow
def test_curves_agree_with_the_committed_average_precision():
    for name, systems in (("dedup_articles", None), ("claim_alignment", ["tfidf_cosine", "bm25"]), ("dedup_synthetic", ["exact_hash"])):
        committed = {(r["system"], r["input"]): r["scores"]["average_precision"] for r in json.loads((RESULTS / f"{name}.json").read_text())["results"]}
        for run in task_scores(TASKS[name], DATASET, systems):
            assert run.average_precision == pytest.approx(committed[run.system, run.variant], abs=1e-12), (name, run.system, run.variant)
            assert (run.heatmap is None) == (name == "dedup_synthetic")


def test_cli_explore_writes_the_site_and_reports_bad_input_in_one_line(tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["explore", "--out", str(out), "--task", "dedup_articles"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote 17 pages to") and (out / "index.html").is_file()
    before = sorted(p.name for p in out.rglob("*"))
    for arguments, message in (
        (["--dataset", str(tmp_path / "none")], "not a built release"),
        (["--results", str(tmp_path / "none")], "dedup_articles.json: missing; run `wirecopy bench` first"),
        (["--task", "nonsense"], "unknown task(s) ['nonsense']"),
    ):
        failed = CliRunner().invoke(app, ["explore", "--out", str(out), *arguments])
        assert failed.exit_code == 1 and message in failed.output and "Traceback" not in failed.output
        assert len(failed.output.strip().splitlines()) == 1 and failed.output.startswith("error: ")
    assert sorted(p.name for p in out.rglob("*")) == before, "a failed build leaves the previous site"


# --- in a real browser ---------------------------------------------------------------------------

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("no chromium/chromedriver on PATH: scripts/install-browser installs Debian's with apt-get (root or sudo needed)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.service import Service

    # Selenium Manager must not look for drivers or send statistics: there is no network.
    os.environ.setdefault("SE_OFFLINE", "true")
    os.environ.setdefault("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def _open(browser, page: Path) -> None:
    browser.get(page.resolve().as_uri())


# Each highlighted span's textContent, pieces joined, as the browser sees it.
SPAN_TEXTS = """
const texts = {};
for (const element of document.querySelectorAll('#article-text [data-span]')) {
  const key = element.dataset.span;
  texts[key] = (texts[key] || '') + element.textContent;
}
return texts;
"""


@pytest.mark.slow
@pytest.mark.browser
def test_browser_highlights_equal_the_gold_spans(browser, site, release, screenshots):
    for article_id, article in release.articles.items():
        _open(browser, site / "articles" / f"{article_id}.html")
        shown = browser.execute_script(SPAN_TEXTS)
        assert shown == {key: span["text"] for key, span in gold_spans(article).items()}, article_id
        assert browser.execute_script("return document.getElementById('article-text').textContent") == article["text"]
        if article["boilerplate_spans"]:
            label = browser.execute_script("return getComputedStyle(document.querySelector('#article-text mark.bp'), '::before').content")
            assert label == json.dumps(article["boilerplate_spans"][0]["label"]), "the label is shown as text, not by colour alone"
        browser.save_screenshot(str(screenshots / f"article-{article_id}.png"))


def _claim_with_copies_and_look_alikes(release) -> dict:
    """A claim whose fact other articles assert too and that has a look-alike asserted somewhere."""
    for claim in sorted(release.claims.values(), key=lambda c: c["claim_id"]):
        others = [c for c in release.claims.values() if c["fact_id"] == claim["fact_id"] and c["article_id"] != claim["article_id"]]
        look_alikes = [f for f in release.look_alikes(claim["fact_id"]) if any(c["fact_id"] == f for c in release.claims.values())]
        if others and look_alikes:
            return claim
    raise AssertionError("the release has no claim with both copies and look-alikes")


@pytest.mark.slow
@pytest.mark.browser
def test_browser_claim_shows_the_same_fact_side_by_side_with_hard_negatives(browser, site, release, screenshots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    claim = _claim_with_copies_and_look_alikes(release)
    _open(browser, site / "articles" / f"{claim['article_id']}.html")
    panel_id = f"fact-{claim['fact_id']}"
    assert not browser.find_element(By.ID, panel_id).is_displayed()
    browser.find_element(By.CSS_SELECTOR, f'a.claim[data-claim="{claim["claim_id"]}"]').click()
    panel = browser.find_element(By.ID, panel_id)
    assert panel.is_displayed()
    assert [p.get_attribute("id") for p in browser.find_elements(By.CSS_SELECTOR, ".fact-panel") if p.is_displayed()] == [panel_id]
    same = {e.get_attribute("data-claim"): e.text for e in panel.find_elements(By.CSS_SELECTOR, ".card.same-fact .claim-text")}
    assert same == {c["claim_id"]: c["text"] for c in release.claims.values() if c["fact_id"] == claim["fact_id"] and c["article_id"] != claim["article_id"]}
    negatives = panel.find_elements(By.CSS_SELECTOR, ".card.hard-negative")
    assert negatives and all("Hard negative" in card.text for card in negatives)
    look_alikes = set(release.look_alikes(claim["fact_id"]))
    assert {e.get_attribute("data-fact") for card in negatives for e in card.find_elements(By.CSS_SELECTOR, ".claim-text")} <= look_alikes
    browser.save_screenshot(str(screenshots / "claim-panel.png"))

    # The keyboard: Enter and Space on a focused claim open its fact too.
    for key, other in zip((Keys.ENTER, Keys.SPACE), [c for c in release.articles[claim["article_id"]]["claims"] if c["fact_id"] != claim["fact_id"]]):
        element = browser.find_element(By.CSS_SELECTOR, f'a.claim[data-claim="{other["claim_id"]}"]')
        element.send_keys(key)
        assert browser.find_element(By.ID, f"fact-{other['fact_id']}").is_displayed(), key
        assert not browser.find_element(By.ID, panel_id).is_displayed()
        assert element.get_attribute("aria-current") == "true"


@pytest.mark.slow
@pytest.mark.browser
def test_browser_keyboard_reaches_the_claims(browser, site, release):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    article_id = next(iter(release.articles))
    _open(browser, site / "articles" / f"{article_id}.html")
    focused = []
    for _ in range(40):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused.append(browser.execute_script("const e = document.activeElement; return e.className || e.tagName"))
        if focused[-1] == "claim":
            break
    assert focused[0] == "skip-link" and focused[-1] == "claim", focused


@pytest.mark.slow
@pytest.mark.browser
def test_browser_navigates_index_comparison_and_results(browser, site, release, screenshots):
    from selenium.webdriver.common.by import By

    _open(browser, site / "index.html")
    browser.save_screenshot(str(screenshots / "index.png"))
    for article_id, article in release.articles.items():
        browser.find_element(By.CSS_SELECTOR, f'table.articles a[href="articles/{article_id}.html"]').click()
        assert browser.find_element(By.TAG_NAME, "h1").text == article["title"]
        browser.back()
    pair = next(p for p in release.pairs if p["relation"] == "same_report")
    browser.find_element(By.CSS_SELECTOR, f'table.matrix a[href="compare/{pair["article_id_a"]}--{pair["article_id_b"]}.html"]').click()
    texts = browser.execute_script("return [...document.querySelectorAll('.article-text')].map(e => e.textContent)")
    assert texts == [release.articles[pair["article_id_a"]]["text"], release.articles[pair["article_id_b"]]["text"]]
    reworded = browser.find_element(By.CSS_SELECTOR, "a.passage.reworded")
    target = reworded.get_attribute("href").split("#", 1)[1]
    reworded.click()
    assert browser.execute_script("return location.hash") == f"#{target}"
    assert browser.execute_script("return document.querySelector(':target').dataset.align") in {"kept", "reworded"}
    browser.save_screenshot(str(screenshots / "comparison.png"))
    browser.find_element(By.LINK_TEXT, "Benchmark results").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Benchmark results"
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.results")) == len(TASKS)
    assert browser.find_element(By.CSS_SELECTOR, "svg.plot polyline").is_displayed()
    browser.save_screenshot(str(screenshots / "results.png"))
