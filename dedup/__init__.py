"""Deduplication at scale: readers, the synthetic corpus writer, and (to come) the staged MinHash engine."""
