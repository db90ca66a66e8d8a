"""The public corpora that the optional configs come from (``external/*/PROVENANCE.md``): what the card,
Croissant and CITATION.cff say about their licences and how to cite them, in one place."""

SOURCES = (
    {
        "name": "ECB+",
        "configs": ("same_event", "event_alignment", "dedup_synthetic"),
        "title": "ECB+ (EventCorefBank+)",
        "citation": "Cybulska, A. and Vossen, P. (2014). Using a sledgehammer to crack a nut? Lexical diversity and event coreference resolution. LREC 2014.",
        "authors": [{"family-names": "Cybulska", "given-names": "Agata"}, {"family-names": "Vossen", "given-names": "Piek"}],
        "year": 2014,
        "url": "http://www.newsreader-project.eu/results/data/the-ecb-corpus/",
        "license": "CC-BY-3.0",
        "license_url": "https://creativecommons.org/licenses/by/3.0/",
        "note": "the texts were detokenised and the offsets computed here; ECB+ states that its news texts are not copyrighted",
    },
    {
        "name": "article-extraction-benchmark",
        "configs": ("boilerplate_web",),
        "title": "Article extraction benchmark",
        "citation": "Scrapinghub (2020). Article extraction benchmark. https://github.com/scrapinghub/article-extraction-benchmark",
        "authors": [{"name": "Scrapinghub (Zyte)"}],
        "year": 2020,
        "url": "https://github.com/scrapinghub/article-extraction-benchmark",
        "license": "MIT",
        "license_url": "https://opensource.org/license/mit",
        "note": "the pages themselves are third-party web content fetched in 2019, included as that benchmark distributes them",
    },
    {
        "name": "Wikinews (SemEval-2015 TimeLine)",
        "configs": ("dedup_synthetic",),
        "title": "Wikinews articles of the SemEval-2015 TimeLine task",
        "citation": "Minard, A.-L. et al. (2015). SemEval-2015 Task 4: TimeLine: Cross-Document Event Ordering. SemEval 2015.",
        "authors": [{"family-names": "Minard", "given-names": "Anne-Lyse"}],
        "year": 2015,
        "url": "https://en.wikinews.org/",
        "license": "CC-BY-2.5",
        "license_url": "https://creativecommons.org/licenses/by/2.5/",
        "note": "sentences of the synthetic corpus",
    },
)


def sources_of(configs) -> list[dict]:
    """The sources that any of ``configs`` draws on, in a fixed order."""
    return [source for source in SOURCES if set(source["configs"]) & set(configs)]
