"""Claim alignment at scale: each claim system's top-k path (``claim_systems.TOP_K``) on corpora of
10,000 to 100,000+ claims, with wall time, peak memory and recall of known gold pairs.

    wirecopy bench claim-scale --n 10000 --n 100000 --k 10

The corpus (``claim_corpus``) is made of real news sentences and documented rewrites of them:

- originals: every distinct line (of at least 4 words) of the release's ``same_event`` documents (ECB+
  articles, validation and test: ~15,000), shuffled with the seed; once they are used up, splices: the
  first half of one original's words followed by the second half of another's (a different claim that
  shares half its words with two others: a hard negative);
- a family per original: the original plus 0-7 variants (family sizes drawn with the synthetic
  corpus's weights, ``builders.synthetic.FAMILY_SIZE_WEIGHTS``: mean 3.3, many singletons), each made by
  1-2 of these rewrites of the original, chosen at random among those that apply:
  ``spin`` (swap words of ``builders.synthetic.SYNONYMS``, each with probability 0.5, at least one),
  ``reattribute`` (the same with ``ATTRIBUTIONS``: "said" -> "stated", "police said" -> "officials said"),
  ``attribute`` (append an attribution: ", officials said."), ``dateline`` (prefix "LONDON (Reuters) - "),
  ``truncate`` (keep the first 60-90% of the words, at least 4). A variant equal to a claim already made
  is dropped.
- gold: two claims of one family are a gold pair (the same statement, reworded).

Claim ids are given after a shuffle of the whole corpus, so neither order nor ids reveal families.
The same seed and n give the same corpus; a corpus of n is not a prefix of a larger one.

Each system runs in its own process (``--run-one``) on the corpus written as JSON lines, so that its
peak memory (``resource.getrusage`` of that process: its resident set at its largest, interpreter,
libraries and corpus included; ``base`` is the same before the system ran) is its own. Time is the
system's top-k call only (index and search; not the interpreter, imports or corpus reading). recall@k
and MRR are computed over claims with at least one gold partner, each claim ranking the claims it
kept a pair with by score (``metrics.retrieval_scores``; recall@k = the share of its gold partners
among its k best). A system searches its index where it has one (token Jaccard: MinHash LSH; time
and memory grow with its candidates), else every pair, its time growing as n^2 and its memory linear
(``--exact``: every system searches every pair). A system whose estimated time at a size (quadratic
from the previous size measured, whatever its search) exceeds ``--time-limit`` is skipped and the
table says so (rapidfuzz: ~1 µs a comparison).
"""

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

FORMAT_VERSION = 1
DATELINES = ("LONDON (Reuters) - ", "NEW YORK (AP) - ", "WASHINGTON (AFP) - ", "PARIS (Reuters) - ", "LOS ANGELES (AP) - ", "MUMBAI (Reuters) - ")
ATTRIBUTED = (", officials said.", ", police said.", ", a spokesman said.", ", according to local media.", ", witnesses said.")
MIN_WORDS = 4
_WORD = re.compile(r"\w+")


def originals(dataset: Path) -> list[str]:
    """The distinct lines of at least MIN_WORDS words of the ``same_event`` documents, validation then test."""
    from .tasks import read_config

    seen: dict[str, None] = {}
    for split in ("validation", "test"):
        for row in read_config(dataset, "same_event", split):
            for line in row["text"].split("\n"):
                line = " ".join(line.split())
                if len(_WORD.findall(line)) >= MIN_WORDS:
                    seen.setdefault(line)
    return list(seen)


def _whole_words(groups) -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    alternatives = {member: tuple(m for m in group if m != member) for group in groups for member in group}
    keys = sorted(alternatives, key=lambda key: (-len(key), key))
    return re.compile(r"\b(?:" + "|".join(re.escape(key) for key in keys) + r")\b"), alternatives


def _rewrites():
    from wirecopy.builders.synthetic import ATTRIBUTIONS, SYNONYMS

    spin, reattribute = _whole_words(SYNONYMS), _whole_words(ATTRIBUTIONS)

    def swap(rng: random.Random, text: str, found: tuple[re.Pattern, dict]) -> str:
        pattern, alternatives = found
        matches = list(pattern.finditer(text))
        if not matches:  # an earlier rewrite of this variant (truncate) took them away
            return text
        chosen = {m.start() for m in matches if rng.random() < 0.5} or {rng.choice(matches).start()}
        return pattern.sub(lambda m: rng.choice(alternatives[m.group()]) if m.start() in chosen else m.group(), text)

    def truncate(rng: random.Random, text: str) -> str:
        tokens = text.split()
        keep = max(MIN_WORDS, round(len(tokens) * rng.uniform(0.6, 0.9)))
        return " ".join(tokens[:keep]).rstrip(",;:") + "."

    return {
        "spin": (lambda text: spin[0].search(text) is not None, lambda rng, text: swap(rng, text, spin)),
        "reattribute": (lambda text: reattribute[0].search(text) is not None, lambda rng, text: swap(rng, text, reattribute)),
        "attribute": (lambda text: True, lambda rng, text: text.rstrip(" .") + rng.choice(ATTRIBUTED)),
        "dateline": (lambda text: True, lambda rng, text: rng.choice(DATELINES) + text),
        "truncate": (lambda text: len(text.split()) > MIN_WORDS + 2, truncate),
    }


def claim_corpus(dataset: Path, n: int, seed: int = 0) -> tuple[dict[str, str], dict[str, str]]:
    """n claims (id -> text) and their families (id -> family id); see the module docstring."""
    from wirecopy.builders.synthetic import FAMILY_SIZE_WEIGHTS

    rng = random.Random(seed)
    real = originals(dataset)
    rng.shuffle(real)
    rewrites = _rewrites()
    sizes, weights = list(FAMILY_SIZE_WEIGHTS), list(FAMILY_SIZE_WEIGHTS.values())
    rows: list[tuple[str, int]] = []
    made: set[str] = set()
    family = 0
    while len(rows) < n:
        if family < len(real):
            original = real[family]
        else:  # splices once the real sentences are used up
            first, second = (real[rng.randrange(len(real))].split() for _ in range(2))
            original = " ".join(first[: len(first) // 2] + second[len(second) // 2 :])
        if original in made:
            family += 1
            continue
        members = [original]
        for _ in range(rng.choices(sizes, weights)[0] - 1):
            applicable = [name for name, (applies, _) in rewrites.items() if applies(original)]
            text = original
            for name in rng.sample(applicable, min(len(applicable), rng.randint(1, 2))):
                text = rewrites[name][1](rng, text)
            if text not in made and text not in members:
                members.append(text)
        for text in members[: n - len(rows)]:
            made.add(text)
            rows.append((text, family))
        family += 1
    rng.shuffle(rows)
    width = max(6, len(str(n - 1)))
    ids = [f"claim-{number:0{width}d}" for number in range(n)]
    return {i: text for i, (text, _) in zip(ids, rows)}, {i: f"f-{family}" for i, (_, family) in zip(ids, rows)}


def evaluate(scores: dict[tuple[str, str], float], families: dict[str, str], k: int) -> dict:
    """MRR, recall@1 and recall@k of each claim's ranking of the claims it kept a pair with."""
    from . import metrics

    neighbours: dict[str, list[tuple[float, str]]] = {claim: [] for claim in families}
    for (a, b), score in scores.items():
        neighbours[a].append((-score, b))
        neighbours[b].append((-score, a))
    rankings = {claim: [other for _, other in sorted(found)] for claim, found in neighbours.items()}
    members: dict[str, list[str]] = {}
    for claim, family in families.items():
        members.setdefault(family, []).append(claim)
    relevant = {claim: {other for other in members[families[claim]] if other != claim} for claim in families}
    return metrics.retrieval_scores(rankings, relevant, k_values=sorted({1, k}))


def run_one(system: str, corpus: Path, k: int, exact: bool = False) -> dict:
    """In this process: read the corpus, run ``system``'s top-k path (its index's search, or with
    ``exact`` every pair's), evaluate; time and peak RSS."""
    from . import claim_systems

    texts, families = {}, {}
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            texts[row["id"]], families[row["id"]] = row["text"], row["family"]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    prediction = claim_systems.TOP_K[system](texts, k=k, exact=exact)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    scores = evaluate(prediction.scores, families, k)
    search = prediction.parameters.get("search", {}).get("index", "exact")
    return {"search": search, "seconds": seconds, "peak_rss_mib": peak / 1024, "base_rss_mib": base / 1024, "pairs": len(prediction.scores), "scores": scores}


def _write_corpus(dataset: Path, n: int, seed: int, work: Path) -> tuple[Path, int]:
    path = work / f"claims-{n}-seed{seed}.jsonl"
    texts, families = claim_corpus(dataset, n, seed)
    work.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with open(partial, "w", encoding="utf-8") as out:
        for claim, text in texts.items():
            out.write(json.dumps({"id": claim, "text": text, "family": families[claim]}) + "\n")
    partial.replace(path)
    members: dict[str, int] = {}
    for family in families.values():
        members[family] = members.get(family, 0) + 1
    return path, sum(size * (size - 1) // 2 for size in members.values())


def run(dataset: Path, sizes: list[int], k: int, systems: list[str], work: Path, seed: int = 0, time_limit: float = 900.0, echo=print, exact: bool = False) -> list[dict]:
    """Each system on each size, each run in its own process (``exact``: every system searches every
    pair, its index unused); the rows of the table."""
    rows: list[dict] = []
    last: dict[str, tuple[int, float]] = {}  # system -> (size, seconds) last measured
    for n in sizes:
        corpus, gold_pairs = _write_corpus(dataset, n, seed, work)
        echo(f"corpus of {n:,} claims ({gold_pairs:,} gold pairs): {corpus}")
        for system in systems:
            row = {"n": n, "k": k, "system": system, "gold_pairs": gold_pairs}
            if system in last and last[system][1] * (n / last[system][0]) ** 2 > time_limit:
                estimate = last[system][1] * (n / last[system][0]) ** 2
                row["skipped"] = f"estimated {estimate:,.0f} s (n^2 from {last[system][0]:,}) > --time-limit {time_limit:,.0f} s"
            else:
                command = [sys.executable, "-m", "wirecopy.benchmarks.claim_scale", "--run-one", system, str(corpus), str(k), *(["--exact"] if exact else [])]
                done = subprocess.run(command, capture_output=True, text=True)
                if done.returncode:
                    row["skipped"] = "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:200]
                else:
                    row.update(json.loads(done.stdout.strip().splitlines()[-1]))
                    last[system] = (n, row["seconds"])
            rows.append(row)
            echo(format_row(row))
    return rows


def format_row(row: dict) -> str:
    head = f"| {row['n']:,} | {row['system']} | {row.get('search', '')} |"
    if "skipped" in row:
        return f"{head} skipped: {row['skipped']} | | | | |"
    s, k = row["scores"], row["k"]
    return f"{head} {row['seconds']:.1f} | {row['peak_rss_mib']:,.0f} ({row['base_rss_mib']:,.0f}) | {row['pairs']:,} | {s[f'recall@{k}']:.3f} | {s['recall@1']:.3f} | {s['mrr']:.3f} |"


def table_header(k: int) -> str:
    return f"| n | system | search | time (s) | peak RSS MiB (before) | pairs kept | recall@{k} | recall@1 | MRR |\n|---|---|---|---|---|---|---|---|---|"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run-one", nargs=3, metavar=("SYSTEM", "CORPUS", "K"), help=argparse.SUPPRESS)
    parser.add_argument("--exact", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        system, corpus, k = args.run_one
        print(json.dumps(run_one(system, Path(corpus), int(k), args.exact)))


if __name__ == "__main__":
    main()
