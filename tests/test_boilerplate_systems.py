"""Boilerplate baselines: valid, deterministic spans on every released article; rules behave as documented."""


import pytest

from wirecopy.benchmarks.boilerplate_systems import SYSTEMS, justext_classify, line_rules, trafilatura_extract


def assert_valid(text: str, spans: list[tuple[int, int]]) -> None:
    assert isinstance(spans, list)
    previous_end = 0
    for span in spans:
        assert isinstance(span, tuple) and len(span) == 2
        start, end = span
        assert isinstance(start, int) and isinstance(end, int)
        assert 0 <= start < end <= len(text)
        assert start >= previous_end, "spans must be sorted and non-overlapping"
        piece = text[start:end]
        assert piece.strip(), "span covers whitespace only"
        assert piece == piece.strip(), "span not trimmed"
        previous_end = end


def test_systems_registry():
    assert SYSTEMS == {"line_rules": line_rules, "trafilatura": trafilatura_extract, "justext": justext_classify}


@pytest.mark.parametrize("name", sorted(SYSTEMS))
def test_spans_valid_and_deterministic_on_every_article(name, articles):
    assert articles
    system = SYSTEMS[name]
    for article in articles:
        text = article["text"]
        first = system(text)
        assert_valid(text, first)
        assert system(text) == first


@pytest.mark.parametrize("name", sorted(SYSTEMS))
def test_spans_stay_within_one_line(name, articles):
    for article in articles:
        text = article["text"]
        for start, end in SYSTEMS[name](text):
            assert "\n" not in text[start:end]


@pytest.mark.parametrize("name", sorted(SYSTEMS))
def test_empty_and_blank_texts(name):
    assert SYSTEMS[name]("") == []
    assert SYSTEMS[name](" \n\u00a0\n\t \n") == []


def test_line_rules_catch_byline_see_also_and_tags_but_keep_prose_and_headline():
    text = (
        "Minister Resigns After Budget Row\n"
        "\n"
        "By Jane Doe and Richard Roe\n"
        "Politics, Europe, Budget, Jane Doe\n"
        "The finance minister resigned on Tuesday after a dispute over spending cuts, officials said.\n"
        "See also\u00a0 Parliament to vote on emergency budget\n"
        "Her deputy will take over until a successor is named, the prime minister's office said.\n"
    )
    spans = line_rules(text)
    assert_valid(text, spans)
    got = [text[a:b] for a, b in spans]
    assert "By Jane Doe and Richard Roe" in got
    assert "Politics, Europe, Budget, Jane Doe" in got
    assert "See also\u00a0 Parliament to vote on emergency budget" in got
    joined = "\n".join(got)
    assert "Minister Resigns After Budget Row" not in joined
    assert "The finance minister resigned" not in joined
    assert "Her deputy will take over" not in joined


def test_line_rules_sub_line_spans_and_nbsp_offsets():
    text = (
        "Headline Here\u00a0\n"
        "\u00a0WASHINGTON (Wire) \u2013 Talks resumed on Monday, officials said.\u00a0\n"
        "Aid was approved last week. (RELATED: Another Story About Aid) The vote was close.\n"
    )
    spans = line_rules(text)
    assert_valid(text, spans)
    got = [text[a:b] for a, b in spans]
    assert got == ["WASHINGTON (Wire) \u2013", "(RELATED: Another Story About Aid)"]


def test_line_rules_spare_sentences_that_open_like_cues():
    text = (
        "Headline\n"
        "By Monday, the river had risen by two metres and thousands had left their homes.\n"
        "Share prices fell sharply in early trading on the news of the merger.\n"
        "Related talks in Geneva are due to begin next month, diplomats said.\n"
    )
    assert line_rules(text) == []


@pytest.mark.parametrize("name", sorted(SYSTEMS))
def test_html_special_characters_do_not_break_the_wrappers(name):
    text = (
        "Alerts & <b>Bold</b> Claims\n"
        "<script>alert(1)</script> & co\n"
        "Officials said the <tag> & \"quoted\" 'text' was harmless, and that the review of the "
        "incident, which began last month, would be finished by the end of the year &amp; published.\n"
        "A second paragraph explains that the committee met three times and heard from a dozen "
        "witnesses before reaching its conclusions about the 5 < 6 > 4 comparison.\n"
        "\x00\x01 control characters \ufffe here\n"
    )
    spans = SYSTEMS[name](text)
    assert_valid(text, spans)
    assert SYSTEMS[name](text) == spans
    for start, end in spans:  # whole lines or parts of one line, never across lines
        assert "\n" not in text[start:end]


def test_extractors_keep_long_prose_with_markup_characters():
    prose = (
        "Officials said the <tag> & \"quoted\" 'text' was harmless, and that the review of the incident, "
        "which began last month, would be finished by the end of the year and then published in full, "
        "together with the letters that the ministry had exchanged with the regulator since the spring."
    )  # over 200 characters: jusText's "good" length (shorter paragraphs are only "near good")
    text = "Headline\n" + "\n".join([prose] * 1 + [prose.replace("Officials", f"Experts {i}") for i in range(4)]) + "\n"
    for system in (trafilatura_extract, justext_classify):
        spans = system(text)
        covered = {i for a, b in spans for i in range(a, b)}
        start = text.index(prose)
        assert not covered & set(range(start, start + len(prose))), system.__name__


def test_justext_offsets_are_code_points_on_the_untouched_text():
    prose = (
        "The committee met three times and heard from a dozen witnesses before it reached its conclusions, "
        "which the chair described as \u201cunanimous\u201d and which the government said it would study "
        "closely before it decided whether to change the rules on public procurement next year."
    )
    label = "\U0001f600 \u201cLatest\u201d updates"
    text = f"Headline\u00a0\n\u00a0{label}\u00a0 \n{prose}\n{prose}\n"
    got = [text[a:b] for a, b in justext_classify(text)]
    assert label in got
    assert prose not in got


def test_alignment_is_ordered_and_word_bounded():
    from wirecopy.benchmarks.boilerplate_systems import _align

    # exact lines align in order (the repeated "a" only once: the extractor kept one copy)
    assert _align(["a", "b x", "c", "a"], ["a", "foo b x bar", "c"]) == {0: 0, 1: 1, 2: 2}
    # a left-over line aligns only with output between its aligned neighbours, at word boundaries
    assert _align(["head", "war", "tail", "body text"], ["head", "tail", "the warning"]) == {0: 0, 2: 1}
