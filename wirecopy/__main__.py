"""``python -m wirecopy``: the same as the ``wirecopy`` command."""

from wirecopy.cli import app

app(prog_name="wirecopy")
