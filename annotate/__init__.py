"""Help people annotate a corpus: propose labels for review (``proposals``) and measure agreement between
two annotations of the same texts (``agreement``). Above benchmarks: proposals use its baselines."""
