"""Deduplication at scale: streaming readers, the staged MinHash engine (local and Spark) and its outputs."""
