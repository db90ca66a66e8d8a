"""wirecopy: a dataset and benchmark of news reuse."""

__version__ = "0.4.0"
