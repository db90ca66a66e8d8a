"""Where a release keeps its files (Hugging Face's naming), for everything that writes or reads one."""

SPLIT = "test"  # the split of a config that declares no others
MANIFEST = "checksums.json"


def shard_path(config: str, split: str = SPLIT) -> str:
    """The one shard of ``config``'s ``split``, relative to the release folder."""
    return f"data/{config}/{split}-00000-of-00001.parquet"
