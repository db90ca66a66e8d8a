"""Reading a release's Parquet shards: a missing or damaged shard is bad input, reported in one line."""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import NOT_APPLICABLE, InputError


def read_table(path: Path) -> pa.Table:
    """The table in the Parquet file ``path``; a ``InputError`` naming it when pyarrow cannot read it."""
    try:
        return pq.read_table(path)
    except FileNotFoundError:
        raise InputError(str(path), NOT_APPLICABLE, NOT_APPLICABLE, "missing shard; is this a built release?") from None
    except (pa.ArrowException, OSError) as error:
        raise InputError(str(path), NOT_APPLICABLE, NOT_APPLICABLE, f"unreadable Parquet: {' '.join(str(error).split())}") from None
