"""Where a release keeps its files (Hugging Face's naming), for everything that writes or reads one."""

SPLIT = "test"
MANIFEST = "checksums.json"


def shard_path(config: str) -> str:
    """The one shard of ``config``, relative to the release folder."""
    return f"data/{config}/{SPLIT}-00000-of-00001.parquet"
