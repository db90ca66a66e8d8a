"""The seeds are the team's raw texts, byte for byte."""

import hashlib

import pytest

from conftest import REPO

SEEDS = REPO / "seeds"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"


def _recorded_sums() -> dict[str, str]:
    lines = (SEEDS / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split() for line in lines)}


def test_every_seed_matches_its_recorded_sha256():
    recorded = _recorded_sums()
    assert sorted(recorded) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for name, digest in recorded.items():
        assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="the team's shared/seeds is not beside this checkout")
def test_seeds_are_the_shared_texts_unchanged():
    shared = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    assert shared == sorted(p.name for p in SEEDS.glob("*.txt"))
    for name in shared:
        assert (SEEDS / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


def test_every_seed_has_a_sidecar():
    for text in SEEDS.glob("*.txt"):
        assert text.with_suffix(".yaml").exists(), text.name
