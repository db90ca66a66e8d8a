"""A static HTML explorer of the release and the benchmark results (``wirecopy explore``).

``data`` reads the release and results into plain dicts, ``markup`` nests highlight elements over
exact spans, ``align`` lines up two articles, ``scores`` re-runs the pair baselines for curves and
heatmaps, ``plots`` draws them as inline SVG, ``render`` fills the templates, ``site`` writes it all.
"""
