"""Scale benchmark: `wirecopy dedup` side by side with rensa, datasketch, datatrove and text-dedup on
synthetic corpora, and against a lower bound (read the text, hash every word 3-gram once).

    python -m wirecopy.benchmarks.scale --sizes 10000 100000 1000000 --work /tmp/scale \\
        --text-dedup-python ~/.cache/wirecopy/text-dedup/bin/python --out results/scale.json

For each size it writes (or reuses) a synthetic corpus with `wirecopy synth --seed 0 --external
EXTERNAL` (the release's ``dedup_synthetic`` columns: every system reads the ids from ``doc_id``), then
runs each system in its own process and prints wall time (process start to exit, as a user waits for
it; ``inner`` is the time the system reports for its own work, without interpreter start and imports;
wirecopy runs once untimed on 200 documents first, so that numba's compilation, cached on disk, is not
timed), documents/s, the peak memory of the system's whole process tree (the RSS of the process
and all its descendants, summed, sampled every 0.1 s: datatrove's and text-dedup's workers are child
processes, wirecopy's are threads; forked workers share pages that the sum counts once per process, so
for them it is an upper bound), pairwise P/R/F1 and ARI against the gold clusters (a document a system
leaves out of its output counts as a cluster of its own), and every system's ratio to wirecopy and to
the limit row. Peers whose estimated time at a size exceeds ``--peer-limit`` seconds or whose estimated
peak memory exceeds ``--memory-limit`` GiB (both extrapolated linearly from the previous size measured)
are skipped, and the table says so. Timings are wall-clock on whatever machine runs it: rerun rather
than trust a number. Not a test: machines are noisy.

Parameters, the same for every MinHash system: word 3-grams, 128 hash functions as 32 bands x 4 rows,
Jaccard threshold 0.4 where the system verifies, ``--workers`` (2) threads, processes or tasks.

The systems, and what each computes differently (the rest is the same MinHash-LSH idea):

| system | normalisation | tokens | shingle hash | MinHash | verification | clustering |
|---|---|---|---|---|---|---|
| wirecopy 0.3 (`wirecopy dedup`) | NFKC + casefold (one compiled kernel over the UTF-8 bytes; exact, ``unicodedata`` only for texts with characters NFKC or casefold can change) | ``\\w+`` runs | each word FNV-1a + splitmix64 (64 bit), a 3-gram folded with splitmix64 | one hash per shingle binned into 128 minima with optimal densification (Shrivastava 2017), 32-bit values; a bucket of > 50 documents pairs each member with its 2 smallest only | exact Jaccard >= 0.4 of the candidates' shingle sets | connected components of verified pairs (scipy) |
| rensa 0.5 (``RMinHash`` + ``RMinHashLSH``) | as wirecopy (the script shingles with wirecopy's ``core.text``: NFKC, casefold, curly quotes and dashes made plain) | ``\\w+`` | rensa's own hash of the 3-gram string | rensa's permutations, seed 42 | exact Jaccard >= 0.4 (Python sets) | connected components |
| datasketch 2.0 (``MinHash`` + ``MinHashLSH``) | as rensa | ``\\w+`` | SHA-1 (32 bit) of the 3-gram's UTF-8 | ``(a*x+b) mod (2^61-1)``, 32-bit values, seed 42 | exact Jaccard >= 0.4 (Python sets) | connected components |
| datatrove 0.10.1 (ParquetReader -> MinhashDedupSignature -> Buckets -> Cluster -> Filter) | lowercase (no NFKC), numbers -> 0, punctuation -> space, whitespace collapsed, diacritics stripped (NFD, drop marks) | spaCy's blank English tokenizer (rule-based, no model) | SHA-1 (first 64 bits) of the 3-gram joined by spaces (its `hash_fc="sha1"`: its default xxhash path passes str, which xxhash >= 4, pinned by wirecopy's constraints, refuses) | ``(a*x+b) mod (2^61-1)``, 64-bit values, seed 42; documents with no 3-gram get no signature | **none**: documents equal in any band are joined | union-find over all bucket collisions (one process) |
| text-dedup 0.4.1 (``python -m text_dedup.minhash``, Python >= 3.12) | lowercase only (no NFKC) | ``regex`` split on ``\\W`` (Unicode), empty tokens dropped | xxh3 (32 bit, seed 42) of the 3-gram's UTF-8 | ``(a*x+b) mod (2^61-1) & (2^32-1)``, seed 42 | within each LSH connected component, all pairs, exact Jaccard >= 0.4 of 3-gram sets; every document with one verified pair keeps its component's id | connected components of band collisions (polars-grouper), then the verified members of a component form one cluster (not re-split) |
| limit | none | split on single spaces | polars' hash of each word, 3 consecutive word hashes combined with multiply-xor | none | none | none |

Notes: ``min_length`` is 1 for text-dedup (its default 5 drops texts under 5 words; synthetic texts are
all longer); a text shorter than 3 words is one shingle for wirecopy, rensa, datasketch and text-dedup,
and no shingle (no signature, a singleton) for datatrove. datatrove's readers split work by file: a
corpus with fewer Parquet files than ``--workers`` is re-sharded into ``--workers`` files under
``WORK/datatrove-input-N`` before the timed run. Its Buckets stage runs one task per band (32 tasks on
``--workers`` processes), its Cluster stage one task. Its cluster ids come from
``MinhashDedupCluster(save_cluster_id=True)`` + ``MinhashDedupFilter(load_cluster_ids=True)``; both
the kept and the removed documents are written (id and cluster id only, JSON lines) and read back.
text-dedup writes its output with ``datasets.save_to_disk`` (``skip_filtering``, cluster column kept);
its datasets cache is a fresh folder under the run's scratch folder, so converting the Parquet to Arrow
is part of its time.

text-dedup needs Python >= 3.12 and is not a dependency of wirecopy (3.11): make its own venv outside
the repository, e.g. with ``scripts/make-text-dedup-env`` or by hand:

    python3.12 -m venv ~/.cache/wirecopy/text-dedup
    ~/.cache/wirecopy/text-dedup/bin/pip install "text-dedup==0.4.1"

and pass ``--text-dedup-python ~/.cache/wirecopy/text-dedup/bin/python`` (that path is the default).
Without it, its rows say "skipped" with the reason. The other peers come with ``pip install
"wirecopy[scale]"``.
"""

import argparse
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl


NGRAM, NUM_PERM, BANDS, THRESHOLD, SEED = 3, 128, 32, 0.4, 42
SYSTEMS = ("limit", "wirecopy", "rensa", "datasketch", "datatrove", "text-dedup")
ALWAYS = ("limit", "wirecopy")  # measured at every size: the reference and what the benchmark is about
FORMAT_VERSION = 2  # of the JSON written by --out: {format_version, parameters, versions, rows}
SAMPLE_SECONDS = 0.1
ID = "doc_id"  # the synthetic corpus's id column (the release's dedup_synthetic config); predictions call it "id"
_EXTERNAL = Path(__file__).resolve().parents[1] / "external"
_TEXT_DEDUP_PYTHON = Path.home() / ".cache" / "wirecopy" / "text-dedup" / "bin" / "python"


def _corpus(size: int, work: Path, external: Path) -> Path:
    """The synthetic corpus of ``size`` documents, made once; a stamp records how (a corpus made by
    another wirecopy version or from another ``external`` folder is made again)."""
    folder, stamp = work / f"corpus-{size}", work / f"corpus-{size}.stamp"
    recipe = json.dumps({"wirecopy": importlib.metadata.version("wirecopy"), "n": size, "seed": 0, "external": str(external.resolve()), "id": ID})
    if not (folder / "part-00000.parquet").exists() or not stamp.exists() or stamp.read_text() != recipe:
        work.mkdir(parents=True, exist_ok=True)
        stamp.unlink(missing_ok=True)
        command = [str(Path(sys.executable).parent / "wirecopy"), "synth", "--n", str(size), "--seed", "0", "--out", str(folder), "--external", str(external)]
        subprocess.run(command, check=True)
        stamp.write_text(recipe)
    return folder


def _sharded(corpus: Path, work: Path, size: int, files: int) -> Path:
    """``corpus`` itself if it has at least ``files`` Parquet files, else a copy in ``files`` equal
    shards (datatrove gives each task whole files: one file would leave all but one task idle), made
    again when the corpus was (its stamp is the corpus's recipe and the shard count)."""
    parts = sorted(corpus.glob("*.parquet"))
    if len(parts) >= files:
        return corpus
    folder, stamp = work / f"datatrove-input-{size}", work / f"datatrove-input-{size}.stamp"
    recipe = json.dumps({"corpus": (corpus.parent / f"{corpus.name}.stamp").read_text(), "files": files})
    if not stamp.exists() or stamp.read_text() != recipe:
        stamp.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        frame = pl.read_parquet(parts, columns=[ID, "text"])
        step = -(-frame.height // files)
        for number in range(files):
            frame.slice(number * step, step).write_parquet(folder / f"part-{number:05d}.parquet")
        stamp.write_text(recipe)
    return folder


def _components(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    from wirecopy.core.components import smallest_in_component

    a, b = (np.array(side, dtype=np.int64) for side in zip(*pairs)) if pairs else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    return smallest_in_component(n, a, b)


def _peer(system: str, texts: list[str]) -> np.ndarray:
    """MinHash-LSH with rensa or datasketch, candidates verified by exact Jaccard, components."""
    from wirecopy.core.text import jaccard, shingles

    if system == "rensa":
        import rensa

        index, make = rensa.RMinHashLSH(THRESHOLD, NUM_PERM, BANDS), lambda: rensa.RMinHash(NUM_PERM, SEED)
    else:
        from datasketch import MinHash, MinHashLSH

        index, make = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, NUM_PERM // BANDS)), lambda: MinHash(num_perm=NUM_PERM, seed=SEED)
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


def _datatrove_row(writer, document) -> dict:
    """JsonlWriter adapter: the document's id and datatrove's cluster id (-1: in no cluster)."""
    return {"id": document.id, "cluster": document.metadata.get("minhash_cluster_id", -1)}


def _datatrove(corpus: Path, scratch: Path, workers: int) -> pl.DataFrame:
    """datatrove's four MinHash stages, each a LocalPipelineExecutor as in its example
    (examples/minhash_deduplication.py), with wirecopy's parameters; cluster id per document."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.hashing import HashConfig
    from datatrove.utils.typeshelper import Languages

    # sha1, not its default xxhash: datatrove 0.10.1 passes str to xxhash, which xxhash >= 4 refuses
    # (its [processing] extra pins xxhash < 4; wirecopy's constraints pin 4.1.0)
    hashing = HashConfig(precision=64, hash_fc="sha1")
    config = MinhashConfig(n_grams=NGRAM, num_buckets=BANDS, hashes_per_bucket=NUM_PERM // BANDS, seed=SEED, hash_config=hashing)
    tasks = len(list(corpus.glob("*.parquet")))  # one task per file (at least `workers` files: see _sharded)
    reader = lambda: ParquetReader(str(corpus), glob_pattern="*.parquet", text_key="text", id_key=ID, read_metadata=False)  # noqa: E731
    logs = lambda stage: str(scratch / "logs" / stage)  # noqa: E731
    stages = [
        ([reader(), MinhashDedupSignature(output_folder=str(scratch / "signatures"), config=config, language=Languages.english)], tasks, workers, "signatures"),
        ([MinhashDedupBuckets(input_folder=str(scratch / "signatures"), output_folder=str(scratch / "buckets"), config=config)], BANDS, workers, "buckets"),
        ([MinhashDedupCluster(input_folder=str(scratch / "buckets"), output_folder=str(scratch / "remove"), config=config, save_cluster_id=True)], 1, 1, "clusters"),
        (
            [
                reader(),
                MinhashDedupFilter(input_folder=str(scratch / "remove"), load_cluster_ids=True, exclusion_writer=JsonlWriter(str(scratch / "removed"), compression=None, adapter=_datatrove_row)),
                JsonlWriter(str(scratch / "kept"), compression=None, adapter=_datatrove_row),
            ],
            tasks,
            workers,
            "filter",
        ),
    ]
    for pipeline, stage_tasks, stage_workers, name in stages:
        LocalPipelineExecutor(pipeline=pipeline, tasks=stage_tasks, workers=stage_workers, logging_dir=logs(name)).run()
    rows = pl.concat([pl.read_ndjson(path, schema={"id": pl.String, "cluster": pl.Int64}) for part in ("kept", "removed") for path in sorted((scratch / part).glob("*.jsonl"))])
    return rows.select("id", cluster_id=pl.when(pl.col("cluster") >= 0).then(pl.format("dt-{}", pl.col("cluster"))).otherwise(pl.col("id")))


_K1, _K2, _MIX = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0xBF58476D1CE4E5B9)


def _limit(corpus: Path, batch: int = 50_000) -> int:
    """The lower bound: read the text, split on spaces, hash each word (polars), combine every 3
    consecutive word hashes of a document into one 64-bit hash (numpy, vectorised). No normalisation,
    no MinHash, no index. Returns the number of 3-gram hashes (and keeps their xor, so nothing is idle)."""
    count, checksum = 0, np.uint64(0)
    for part in sorted(corpus.glob("*.parquet")):
        texts = pl.read_parquet(part, columns=["text"])
        for start in range(0, texts.height, batch):
            words = texts.slice(start, batch).select(pl.col("text").str.split(" ")).with_row_index("doc").explode("text")
            hashes, docs = words["text"].hash(seed=0).to_numpy(), words["doc"].to_numpy()
            if len(hashes) < NGRAM:
                continue
            grams = (hashes[:-2] * _K1) ^ (hashes[1:-1] * _K2) ^ hashes[2:]
            grams = (grams ^ (grams >> np.uint64(31))) * _MIX
            grams = grams[docs[:-2] == docs[2:]]
            count += len(grams)
            checksum ^= np.bitwise_xor.reduce(grams) if len(grams) else np.uint64(0)
    return count


def run_system(system: str, corpus: Path, scratch: Path, workers: int) -> dict:
    """Run one system (not text-dedup: it runs in its own interpreter) on one corpus in this process;
    writes ``scratch/predicted.parquet`` (id, cluster_id) and returns the system's own time."""
    scratch.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    extra = {}
    if system == "limit":
        extra["shingles"] = _limit(corpus)
        predicted = None
    elif system == "wirecopy":
        from wirecopy.dedup.minhash import MinHashParams
        from wirecopy.dedup.pipeline import deduplicate

        deduplicate(corpus, scratch / "out", MinHashParams(ngram=NGRAM, num_perm=NUM_PERM, bands=BANDS, threshold=THRESHOLD), workers=workers, id_field=ID)
        predicted = pl.read_parquet(scratch / "out" / "clusters" / "*.parquet", columns=["id", "cluster_id"])
    elif system == "datatrove":
        predicted = _datatrove(corpus, scratch, workers)
    else:
        frame = pl.read_parquet(corpus / "*.parquet", columns=[ID, "text"])
        labels = _peer(system, frame["text"].to_list())
        predicted = pl.DataFrame({"id": frame[ID], "cluster_id": labels.astype(str)})
    seconds = time.perf_counter() - started
    if predicted is not None:
        predicted.write_parquet(scratch / "predicted.parquet")
    return {"inner_seconds": seconds, **extra}


def _text_dedup_config(corpus: Path, scratch: Path, workers: int) -> str:
    """text-dedup's TOML (read from ``config.toml`` in its working directory)."""
    files = json.dumps(str(corpus / "*.parquet"))
    return f"""[input]
input_type = "local_files"
file_type = "parquet"

[input.read_arguments]
path = "parquet"
data_files = {files}
split = "train"
cache_dir = {json.dumps(str(scratch / "hf-cache"))}

[algorithm]
algorithm_name = "minhash"
text_column = "text"
seed = {SEED}
num_proc = {workers}
num_perm = {NUM_PERM}
bands = {BANDS}
rows = {NUM_PERM // BANDS}
ngram_size = {NGRAM}
min_length = 1
threshold = {THRESHOLD}
check_false_positive = true

[output]
output_dir = {json.dumps(str(scratch / "output"))}
skip_filtering = true
keep_cluster_column = true
clean_cache = false

[debug]
enable_profiling = false
"""


def text_dedup_version(python: Path | None) -> tuple[str | None, str]:
    """(text-dedup's version, "") when ``python`` is >= 3.12 and imports it, else (None, the reason)."""
    if python is None or not Path(python).exists():
        return None, f"no Python with text-dedup at {python} (see the module docstring; --text-dedup-python)"
    check = "import sys, importlib.metadata as m, text_dedup.minhash; assert sys.version_info >= (3, 12), sys.version; print(m.version('text-dedup'))"
    done = subprocess.run([str(python), "-c", check], capture_output=True, text=True)
    if done.returncode:
        return None, f"{python} cannot run text-dedup: {(done.stderr.strip().splitlines() or ['?'])[-1]}"
    return done.stdout.strip(), ""


def _text_dedup_predicted(scratch: Path) -> pl.DataFrame:
    from datasets import load_from_disk

    frame = load_from_disk(str(scratch / "output")).select_columns([ID, "__CLUSTER__"]).to_polars()  # it keeps the input's columns
    return frame.select(id=pl.col(ID), cluster_id=pl.format("td-{}", pl.col("__CLUSTER__")))


def _tree_memory(process) -> int:
    """RSS in bytes of ``process`` and all its descendants, summed."""
    import psutil

    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(command: list[str], scratch: Path, cwd: Path | None = None, env: dict | None = None) -> dict:
    """Run ``command``; its wall time, the peak RSS of its process tree (sampled every 0.1 s), and its
    output (in ``scratch/stdout.txt`` and ``stderr.txt``). Raises with the output's tail on failure."""
    import psutil

    scratch.mkdir(parents=True, exist_ok=True)
    with open(scratch / "stdout.txt", "w") as out, open(scratch / "stderr.txt", "w") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=env)
        process, peak = psutil.Process(child.pid), 0
        while child.poll() is None:
            peak = max(peak, _tree_memory(process))
            try:
                child.wait(SAMPLE_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        seconds = time.perf_counter() - started
    stdout, stderr = (scratch / "stdout.txt").read_text(), (scratch / "stderr.txt").read_text()
    if child.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({child.returncode}):\n{stderr[-3000:]}")
    return {"seconds": seconds, "peak_memory_gib": peak / 2**30, "stdout": stdout, "stderr": stderr}


def run_measured(system: str, corpus: Path, scratch: Path, workers: int, text_dedup_python: Path | None) -> dict:
    """One system on one corpus in its own process (tree), timed and sampled from here."""
    shutil.rmtree(scratch, ignore_errors=True)
    if system == "text-dedup":
        scratch.mkdir(parents=True)
        (scratch / "config.toml").write_text(_text_dedup_config(corpus, scratch, workers))
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_DATASETS_CACHE": str(scratch / "hf-cache")}
        run = measure([str(text_dedup_python), "-m", "text_dedup.minhash"], scratch / "run", cwd=scratch, env=env)
        total = re.findall(r"Total\s*:\s*([0-9.]+)\s*s", run["stdout"] + run["stderr"])
        _text_dedup_predicted(scratch).write_parquet(scratch / "predicted.parquet")
        inner = {"inner_seconds": float(total[-1]) if total else None}
    else:
        command = [sys.executable, "-m", "wirecopy.benchmarks.scale", "--run-one", system, str(corpus), str(scratch), "--workers", str(workers)]
        run = measure(command, scratch.parent / f"{scratch.name}-log")
        inner = json.loads(run["stdout"].strip().splitlines()[-1])
    return {"seconds": run["seconds"], "peak_memory_gib": run["peak_memory_gib"], **inner}


def scores(corpus: Path, predicted: Path) -> dict:
    """Pairwise P/R/F1 from the contingency table (no pair listing) and ARI, against the gold clusters.
    A document missing from the prediction is a cluster of its own."""
    from sklearn.metrics import adjusted_rand_score

    gold = pl.read_parquet(corpus / "*.parquet", columns=[ID, "cluster_id"]).rename({ID: "id", "cluster_id": "gold"})
    both = gold.join(pl.read_parquet(predicted).rename({"cluster_id": "pred"}), on="id", how="left")
    both = both.with_columns(pl.coalesce("pred", pl.format("missing-{}", "id")).alias("pred"))
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
        "missing": int(both.height - gold.join(pl.read_parquet(predicted), on="id", how="semi").height),
    }


def versions(text_dedup: str | None) -> dict:
    found = {"wirecopy": importlib.metadata.version("wirecopy"), "python": sys.version.split()[0], "text-dedup": text_dedup}
    for name in ("rensa", "datasketch", "datatrove", "spacy", "polars", "numpy", "psutil"):
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def _ratios(rows: list[dict]) -> None:
    """Per row: wirecopy's throughput over the row's (``wirecopy_speedup``) and the row's time over the
    limit's (``x_limit``), at the same size."""
    by = {(r["size"], r["system"]): r for r in rows if "seconds" in r}
    for r in rows:
        if "seconds" not in r:
            continue
        ours, limit = by.get((r["size"], "wirecopy")), by.get((r["size"], "limit"))
        r["wirecopy_speedup"] = ours["docs_per_s"] / r["docs_per_s"] if ours and r["system"] not in ALWAYS else None
        r["x_limit"] = r["seconds"] / limit["seconds"] if limit else None


def _write(path: Path | None, rows: list[dict], args, found: dict) -> None:
    if path:
        parameters = {"ngram": NGRAM, "num_perm": NUM_PERM, "bands": BANDS, "rows": NUM_PERM // BANDS, "threshold": THRESHOLD, "seed": SEED, "workers": args.workers, "synth_seed": 0, "memory_sample_s": SAMPLE_SECONDS}
        path.write_text(json.dumps({"format_version": FORMAT_VERSION, "parameters": parameters, "versions": found, "rows": rows}, indent=2) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/wirecopy-scale"), help="Corpora and each run's scratch folder.")
    parser.add_argument("--external", type=Path, default=_EXTERNAL if _EXTERNAL.exists() else Path("external"), help="The real corpora `wirecopy synth` draws sentences from (default: the repository's external/).")
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS), help="Which systems to run (limit and wirecopy are the reference: keep them for the ratios).")
    parser.add_argument("--workers", type=int, default=2, help="Threads (wirecopy), processes and tasks (datatrove), num_proc (text-dedup).")
    parser.add_argument("--text-dedup-python", type=Path, default=_TEXT_DEDUP_PYTHON, help="The python of a venv (Python >= 3.12) with text-dedup 0.4.1; its rows are skipped without it.")
    parser.add_argument("--peer-limit", type=float, default=900.0, help="Skip a peer whose estimated time at a size exceeds this (s).")
    parser.add_argument("--memory-limit", type=float, default=16.0, help="Skip a peer whose estimated peak memory at a size exceeds this (GiB).")
    parser.add_argument("--run-one", nargs=3, metavar=("SYSTEM", "CORPUS", "SCRATCH"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None, help="Also write the parameters, versions and rows as JSON here.")
    args = parser.parse_args(argv)
    if args.run_one:
        system, corpus, scratch = args.run_one
        print(json.dumps(run_system(system, Path(corpus), Path(scratch), args.workers)))
        return
    text_dedup, why_not = text_dedup_version(args.text_dedup_python) if "text-dedup" in args.systems else (None, "")
    found = versions(text_dedup)
    if "wirecopy" in args.systems:  # numba compiles wirecopy's kernels once (cached on disk): not timed
        warm = args.work / "run-wirecopy-warm-up"
        run_measured("wirecopy", _corpus(200, args.work, args.external), warm, args.workers, None)
    rows, rate, memory = [], {}, {}  # rate: docs/s; memory: GiB per document, at the last size measured
    for size in args.sizes:
        corpus = _corpus(size, args.work, args.external)
        for system in args.systems:
            skipped = None
            if system == "text-dedup" and why_not:
                skipped = why_not
            elif system in ALWAYS:
                pass
            elif system in rate and size / rate[system] > args.peer_limit:
                skipped = f"estimated {size / rate[system]:.0f} s > {args.peer_limit:.0f} s"
            elif system in memory and size * memory[system] > args.memory_limit:
                skipped = f"estimated {size * memory[system]:.0f} GiB peak memory > {args.memory_limit:.0f} GiB"
            if skipped:
                rows.append({"size": size, "system": system, "skipped": skipped})
                print(f"{size:>9,} {system:<10} skipped: {skipped}", flush=True)
                continue
            source = _sharded(corpus, args.work, size, args.workers) if system == "datatrove" else corpus
            scratch = args.work / f"run-{system}-{size}"
            try:
                measured = run_measured(system, source, scratch, args.workers, args.text_dedup_python)
            except RuntimeError as error:  # a peer that fails is a row, not the end of the benchmark
                if system in ALWAYS:
                    raise
                rows.append({"size": size, "system": system, "skipped": f"failed: {str(error).strip().splitlines()[-1][:200]}"})
                print(f"{size:>9,} {system:<10} {rows[-1]['skipped']}", flush=True)
                continue
            rate[system], memory[system] = size / measured["seconds"], measured["peak_memory_gib"] / size
            row = {"size": size, "system": system, **measured, "docs_per_s": rate[system]}
            if system != "limit":
                row.update(scores(corpus, scratch / "predicted.parquet"))
            rows.append(row)
            _ratios(rows)
            print(_format(row), flush=True)
            _write(args.out, rows, args, found)
    _ratios(rows)
    print("\n" + table(rows))
    print("\n" + ", ".join(f"{name} {version}" for name, version in found.items() if version))
    _write(args.out, rows, args, found)


def _format(row: dict) -> str:
    line = f"{row['size']:>9,} {row['system']:<10} {row['seconds']:8.1f} s {row['docs_per_s']:9,.0f} docs/s {row['peak_memory_gib']:6.2f} GiB"
    return line + (f" F1 {row['f1']:.3f} ARI {row['ari']:.3f}" if "f1" in row else "")


def table(rows: list[dict]) -> str:
    """Markdown: one line per (size, system), with wirecopy's throughput ratio to each peer and each
    system's time over the limit's."""
    lines = [
        "| documents | system | time (s) | inner (s) | docs/s | peak memory, tree (GiB) | precision | recall | pairwise F1 | ARI | wirecopy speed-up | × limit |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    number = lambda value, spec: "" if value is None else format(value, spec)  # noqa: E731
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {r['size']:,} | {r['system']} | skipped: {r['skipped']} | | | | | | | | | |")
            continue
        speedup = number(r.get("wirecopy_speedup"), ".1f") + ("×" if r.get("wirecopy_speedup") else "")
        cells = [f"{r['size']:,}", r["system"], number(r["seconds"], ".1f"), number(r.get("inner_seconds"), ".1f"), number(r["docs_per_s"], ",.0f"), number(r["peak_memory_gib"], ".2f")]
        cells += [number(r.get(key), ".3f") for key in ("precision", "recall", "f1", "ari")]
        cells += [speedup, number(r.get("x_limit"), ".1f") + ("×" if r.get("x_limit") else "")]
        lines.append("| " + " | ".join(cells) + " |")
    ours = {r["size"]: r for r in rows if r["system"] == "wirecopy" and "seconds" in r}
    sizes = sorted(ours)
    if len(sizes) >= 2:
        small, large = sizes[-2], sizes[-1]
        lines.append(f"\nwirecopy time {small:,} → {large:,} documents: ×{ours[large]['seconds'] / ours[small]['seconds']:.1f} for ×{large / small:.0f} documents.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
