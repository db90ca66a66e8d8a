"""Scale benchmark: `wirecopy dedup` side by side with datasketch and rensa on synthetic corpora.

    python -m wirecopy.benchmarks.scale --sizes 10000 100000 1000000 --work /tmp/scale

For each size it writes (or reuses) a synthetic corpus with `wirecopy synth` (seed 0), then runs each
system in its own process and prints documents/s, peak RSS (ru_maxrss of that process; wirecopy's
workers are threads in it) and pairwise P/R/F1 and ARI against the gold clusters, and the ratios to
wirecopy. Every system uses the same parameters (word 3-grams, 128 permutations, 32 bands x 4 rows,
exact Jaccard >= 0.4 to verify, connected components), so the comparison is of engines, not of
settings; wirecopy also applies its bucket limit (50 documents, 2 anchors), part of its engine. Peers whose estimated time at a size
exceeds ``--peer-limit`` seconds or whose estimated peak RSS exceeds ``--memory-limit`` GiB (both
extrapolated linearly from the previous size) are skipped, and the
table says so. Timings are wall-clock on whatever machine runs it: rerun rather than trust a number.
Not a test: machines are noisy.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.metrics import adjusted_rand_score

from wirecopy.core.components import smallest_in_component
from wirecopy.core.text import jaccard, shingles

NGRAM, NUM_PERM, BANDS, THRESHOLD = 3, 128, 32, 0.4
SYSTEMS = ("wirecopy", "rensa", "datasketch")


def _corpus(size: int, work: Path, dataset: Path) -> Path:
    folder = work / f"corpus-{size}"
    if not (folder / "part-00000.parquet").exists():
        subprocess.run([str(Path(sys.executable).parent / "wirecopy"), "synth", "--n", str(size), "--seed", "0", "--out", str(folder), "--dataset", str(dataset)], check=True)
    return folder


def _components(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    a, b = (np.array(side, dtype=np.int64) for side in zip(*pairs)) if pairs else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    return smallest_in_component(n, a, b)


def _peer(system: str, texts: list[str]) -> np.ndarray:
    """MinHash-LSH with rensa or datasketch, candidates verified by exact Jaccard, components."""
    if system == "rensa":
        import rensa

        index, make = rensa.RMinHashLSH(THRESHOLD, NUM_PERM, BANDS), lambda: rensa.RMinHash(NUM_PERM, 42)
    else:
        from datasketch import MinHash, MinHashLSH

        index, make = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, NUM_PERM // BANDS)), lambda: MinHash(num_perm=NUM_PERM, seed=42)
    signatures, sets = [], []  # shingle sets kept for verification, as a user of these libraries would
    for number, text in enumerate(texts):
        signature, shingle_set = make(), shingles(text, NGRAM)
        if system == "rensa":
            signature.update(sorted(shingle_set))
        else:
            signature.update_batch([s.encode() for s in sorted(shingle_set)])
        index.insert(number, signature)
        signatures.append(signature)
        sets.append(shingle_set)
    pairs = []
    for number, signature in enumerate(signatures):
        for other in index.query(signature):
            if other > number and jaccard(sets[number], sets[other]) >= THRESHOLD:
                pairs.append((number, other))
    return _components(len(texts), pairs)


def run_system(system: str, corpus: Path, scratch: Path) -> dict:
    """Run one system on one corpus in this process; returns its timing, memory and labels' file."""
    started = time.perf_counter()
    if system == "wirecopy":
        from wirecopy.dedup.minhash import MinHashParams
        from wirecopy.dedup.pipeline import deduplicate

        deduplicate(corpus, scratch, MinHashParams(ngram=NGRAM, num_perm=NUM_PERM, bands=BANDS, threshold=THRESHOLD), workers=os.cpu_count() or 1)
        predicted = pl.read_parquet(scratch / "clusters" / "*.parquet", columns=["id", "cluster_id"])
    else:
        frame = pl.read_parquet(corpus / "*.parquet", columns=["id", "text"])
        labels = _peer(system, frame["text"].to_list())
        predicted = pl.DataFrame({"id": frame["id"], "cluster_id": labels.astype(str)})
    seconds = time.perf_counter() - started
    scratch.mkdir(parents=True, exist_ok=True)
    predicted.write_parquet(scratch / "predicted.parquet")
    return {"seconds": seconds, "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, "threads": (os.cpu_count() or 1) if system == "wirecopy" else 1}


def scores(corpus: Path, predicted: Path) -> dict:
    """Pairwise P/R/F1 from the contingency table (no pair listing) and ARI, against the gold clusters."""
    gold = pl.read_parquet(corpus / "*.parquet", columns=["id", "cluster_id"]).rename({"cluster_id": "gold"})
    both = gold.join(pl.read_parquet(predicted).rename({"cluster_id": "pred"}), on="id")
    pairs = lambda counts: int((counts * (counts - 1) // 2).sum())  # noqa: E731
    true_positive = pairs(both.group_by("gold", "pred").len()["len"])
    predicted_pairs, gold_pairs = pairs(both.group_by("pred").len()["len"]), pairs(both.group_by("gold").len()["len"])
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / gold_pairs if gold_pairs else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "ari": adjusted_rand_score(both["gold"].to_numpy(), both["pred"].to_numpy()),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/wirecopy-scale"))
    parser.add_argument("--dataset", type=Path, default=Path("dataset"))
    parser.add_argument("--peer-limit", type=float, default=900.0, help="Skip a peer whose estimated time at a size exceeds this (s).")
    parser.add_argument("--memory-limit", type=float, default=16.0, help="Skip a system whose estimated peak RSS at a size exceeds this (GiB).")
    parser.add_argument("--run-one", nargs=3, metavar=("SYSTEM", "CORPUS", "SCRATCH"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None, help="Also write the rows as JSON here.")
    args = parser.parse_args(argv)
    if args.run_one:
        system, corpus, scratch = args.run_one
        print(json.dumps(run_system(system, Path(corpus), Path(scratch))))
        return
    rows, rate, memory = [], {}, {}  # rate: docs/s; memory: GiB per document, at the last size measured
    for size in args.sizes:
        corpus = _corpus(size, args.work, args.dataset)
        for system in SYSTEMS:
            if system == "wirecopy":
                pass  # always measured: it is what the benchmark is about
            elif system in rate and size / rate[system] > args.peer_limit:
                rows.append({"size": size, "system": system, "skipped": f"estimated {size / rate[system]:.0f} s > {args.peer_limit:.0f} s"})
                continue
            elif system in memory and size * memory[system] > args.memory_limit:
                rows.append({"size": size, "system": system, "skipped": f"estimated {size * memory[system]:.0f} GiB peak RSS > {args.memory_limit:.0f} GiB"})
                continue
            scratch = args.work / f"run-{system}-{size}"
            subprocess.run(["rm", "-rf", str(scratch)], check=True)
            measured = json.loads(subprocess.run([sys.executable, "-m", "wirecopy.benchmarks.scale", "--run-one", system, str(corpus), str(scratch)], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
            rate[system], memory[system] = size / measured["seconds"], measured["peak_rss_gib"] / size
            rows.append({"size": size, "system": system, **measured, "docs_per_s": rate[system], **scores(corpus, scratch / "predicted.parquet")})
            print(_format(rows[-1]), flush=True)
            if args.out:
                args.out.write_text(json.dumps(rows, indent=2) + "\n")
    print("\n" + table(rows))
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n")


def _format(row: dict) -> str:
    return f"{row['size']:>9,} {row['system']:<10} {row['seconds']:8.1f} s {row['docs_per_s']:9,.0f} docs/s {row['peak_rss_gib']:6.2f} GiB F1 {row['f1']:.3f} ARI {row['ari']:.3f}"


def table(rows: list[dict]) -> str:
    """Markdown: one line per (size, system), with wirecopy's throughput ratio to each peer."""
    ours = {r["size"]: r for r in rows if r["system"] == "wirecopy" and "seconds" in r}
    lines = ["| documents | system | time (s) | docs/s | peak RSS (GiB) | pairwise F1 | ARI | wirecopy speed-up |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {r['size']:,} | {r['system']} | skipped: {r['skipped']} | | | | | |")
            continue
        ratio = "" if r["system"] == "wirecopy" or r["size"] not in ours else f"{ours[r['size']]['docs_per_s'] / r['docs_per_s']:.1f}×"
        lines.append(f"| {r['size']:,} | {r['system']} | {r['seconds']:.1f} | {r['docs_per_s']:,.0f} | {r['peak_rss_gib']:.2f} | {r['f1']:.3f} | {r['ari']:.3f} | {ratio} |")
    sizes = sorted(ours)
    if len(sizes) >= 2:
        small, large = sizes[-2], sizes[-1]
        lines.append(f"\nwirecopy time {small:,} → {large:,} documents: ×{ours[large]['seconds'] / ours[small]['seconds']:.1f} for ×{large / small:.0f} documents.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
