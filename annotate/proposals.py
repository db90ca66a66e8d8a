"""``wirecopy annotate``: draft annotations with proposed labels for a person to review (GUIDELINES.md).

``annotate(seeds_dir)`` writes a sidecar for every text that has none and adds to corpus.yaml the facts
of the new claims and the relations of the new article pairs. Every label it writes carries
``proposed: {method: ...}`` (how it was found) and the evidence it rests on; a label without that key
is reviewed, and annotate never changes one: an existing sidecar is left as it is, and corpus.yaml
only gains entries at the end of its lists, every other byte kept (``yaml_text``). Run it again after
adding texts and it fills in only what is missing. ``accept(seeds_dir)`` removes the remaining
``proposed`` keys once a person has reviewed them (``builders.annotations.proposed_labels`` names the
labels still proposed: the build refuses them).

Nothing is written unless everything is: the folder's problems (a bad seed, a sidecar or corpus.yaml
the build would refuse) are reported together first, and every proposed sidecar is checked against the
schema and resolved as the build resolves it before any file is replaced (one rename each).
"""

from dataclasses import dataclass, field
from pathlib import Path

from wirecopy.builders.annotations import CORPUS_FILE, check_schema, read_corpus, read_sidecars
from wirecopy.builders.resolve import resolve_article
from wirecopy.builders.seeds import Seed, read_seeds
from wirecopy.core.errors import Problems
from wirecopy.core.outputs import atomic_write_text

from .propose_article import ArticleProposal, claim_id, propose_article
from .propose_corpus import ClaimRef, assign_facts, claim_pair_scores, propose_relations, undeclared_facts
from .quotes import Span
from .yaml_text import append_items, dump, without_proposed

SIDECAR_HEADER = (
    "# Annotation of {article_id}.txt (format: schema/article_annotation.schema.json), drafted by wirecopy annotate.\n"
    "# A label with a 'proposed' key awaits review: check it against GUIDELINES.md, correct it, then delete the key.\n"
)
CORPUS_HEADER = (
    "# Corpus-level annotation (format: schema/corpus_annotation.schema.json), drafted by wirecopy annotate.\n"
    "# facts: what the claims assert; claims in different articles asserting the same fact share its id.\n"
    "# relations: pairs of articles that share reporting; a pair not listed takes the project's default relation.\n"
    "# A label with a 'proposed' key awaits review (GUIDELINES.md).\n"
)


@dataclass
class Summary:
    """What one run wrote."""

    sidecars_written: list[str] = field(default_factory=list)
    sidecars_kept: list[str] = field(default_factory=list)
    claims_proposed: int = 0
    claims_left_out: dict[str, int] = field(default_factory=dict)  # article id -> sentences over the c9999 limit
    facts_added: int = 0
    relations_added: int = 0
    corpus_written: bool = False

    def lines(self) -> list[str]:
        lines = [
            f"{len(self.sidecars_written)} sidecar(s) drafted with {self.claims_proposed} proposed claim(s); {len(self.sidecars_kept)} existing sidecar(s) left as they are",
            f"corpus.yaml: {self.facts_added} fact(s) and {self.relations_added} relation(s) proposed" if self.corpus_written else "corpus.yaml: nothing to add",
        ]
        lines += [f"{article_id}: {count} sentence(s) past claim c9999 not proposed (claim ids are c01-c9999)" for article_id, count in sorted(self.claims_left_out.items())]
        return lines


def _existing_claims(article: dict) -> list[ClaimRef]:
    return [ClaimRef(c["claim_id"], article["article_id"], (c["start"], c["end"]), c["text"], c["fact_id"]) for c in article["claims"]]


def _new_claims(proposal: ArticleProposal) -> list[ClaimRef]:
    return [ClaimRef(f"{proposal.article_id}/{claim_id(i)}", proposal.article_id, (c.start, c.end), proposal.text[c.start : c.end]) for i, c in enumerate(proposal.claims)]


def _read_folder(seeds_dir: Path, problems: Problems) -> tuple[list[Seed], dict[str, dict], dict | None]:
    """The seeds, the resolved articles of the existing sidecars, and corpus.yaml (None when missing);
    every problem of them in ``problems``."""
    seeds = read_seeds(seeds_dir, problems)
    reviewed = [seed for seed in seeds if (seeds_dir / f"{seed.article_id}.yaml").exists()]
    sidecars = read_sidecars(seeds_dir, [seed.article_id for seed in reviewed], problems)
    articles = {}
    for seed in reviewed:
        if seed.article_id in sidecars:
            article = resolve_article(seed, sidecars[seed.article_id], seeds_dir / f"{seed.article_id}.yaml", problems, seed.path.name)
            if article is not None:
                articles[seed.article_id] = article
    corpus = problems.attempt(read_corpus, seeds_dir) if (seeds_dir / CORPUS_FILE).exists() else None
    return seeds, articles, corpus


def annotate(seeds_dir: Path) -> Summary:
    """Draft the missing annotations of ``seeds_dir`` (see the module's docstring); returns what it wrote.
    Raises ``InputError``(s) naming every problem of the folder, having written nothing."""
    seeds_dir = Path(seeds_dir)
    problems = Problems()
    seeds, articles, corpus = _read_folder(seeds_dir, problems)
    problems.check()
    summary = Summary(sidecars_kept=sorted(articles))
    proposals = [propose_article(seed.article_id, seed.text) for seed in seeds if seed.article_id not in articles]
    existing = [claim for article in articles.values() for claim in _existing_claims(article)]
    new = [claim for proposal in proposals for claim in _new_claims(proposal)]
    declared = {fact["fact_id"] for fact in corpus["facts"]} if corpus else set()
    scores = claim_pair_scores(existing + new)
    facts_of, new_facts = assign_facts(existing, new, declared | {claim.fact for claim in existing}, scores)
    new_facts = undeclared_facts(existing, declared) + new_facts
    texts = {seed.article_id: seed.text for seed in seeds}
    titles: dict[str, Span] = {article_id: (article["title_start"], article["title_end"]) for article_id, article in articles.items()}
    titles |= {proposal.article_id: proposal.title for proposal in proposals}
    listed = {tuple(sorted(relation["articles"])) for relation in corpus["relations"]} if corpus else set()
    new_relations = propose_relations(texts, {p.article_id for p in proposals}, listed, existing + new, titles, scores)

    sidecar_texts = {}
    for proposal in proposals:
        proposal.facts = [facts_of[claim.claim_id] for claim in _new_claims(proposal)]
        path = seeds_dir / f"{proposal.article_id}.yaml"
        document = proposal.sidecar()
        check_schema(path, document, "article_annotation")
        # Resolved as the build resolves it: a proposal that the build would refuse is a bug here.
        resolve_article(Seed(proposal.article_id, path.with_suffix(".txt"), proposal.text, ""), document, path, problems, path.with_suffix(".txt").name)
        sidecar_texts[path] = SIDECAR_HEADER.format(article_id=proposal.article_id) + dump(document)
        summary.claims_proposed += len(proposal.claims)
        if proposal.claims_left_out:
            summary.claims_left_out[proposal.article_id] = proposal.claims_left_out
    problems.check()
    corpus_path = seeds_dir / CORPUS_FILE
    corpus_text = _corpus_text(corpus_path, corpus, new_facts, new_relations)
    for path, text in sidecar_texts.items():
        atomic_write_text(path, text)
        summary.sidecars_written.append(path.stem)
    if corpus_text is not None:
        atomic_write_text(corpus_path, corpus_text)
        summary.corpus_written = True
        summary.facts_added, summary.relations_added = len(new_facts), len(new_relations)
    return summary


def _corpus_text(path: Path, corpus: dict | None, facts: list[dict], relations: list[dict]) -> str | None:
    """The new text of corpus.yaml (checked against its schema), or None when nothing changes."""
    if corpus is None:
        document = {"facts": facts, "relations": relations}
        text = CORPUS_HEADER + dump(document)
    elif facts or relations:
        text = path.read_text(encoding="utf-8")
        text = append_items(append_items(text, "facts", facts, str(path)), "relations", relations, str(path))
        document = {**corpus, "facts": [*corpus["facts"], *facts], "relations": [*corpus["relations"], *relations]}
    else:
        return None
    check_schema(path, document, "corpus_annotation")
    return text


def accept(seeds_dir: Path) -> int:
    """Accept every remaining proposal of ``seeds_dir`` after review: remove each ``proposed`` key from
    the sidecars and corpus.yaml, every other byte kept. Returns how many were removed."""
    removed = 0
    for path in sorted(Path(seeds_dir).glob("*.yaml")):
        text, count = without_proposed(path.read_text(encoding="utf-8"), str(path))
        if count:
            atomic_write_text(path, text)
            removed += count
    return removed
