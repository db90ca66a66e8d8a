"""Run the wirecopy CLI and kill -9 it at a chosen point: ``python kill_at.py MODULE:FUNCTION WHEN N -- ARGS``.

The N-th call of MODULE.FUNCTION sends SIGKILL to this process ``before`` or ``after`` it runs, so a
test can stop a command at a known step (mid-write, before or after the swap) without any hook in the
code under test.
"""

import importlib
import os
import signal
import sys

target, when, nth, separator, *arguments = sys.argv[1:]
assert separator == "--" and when in ("before", "after")
module_name, name = target.split(":")
module = importlib.import_module(module_name)
original = getattr(module, name)
calls = 0


def killing(*args, **kwargs):
    global calls
    calls += 1
    if calls == int(nth) and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    if calls == int(nth) and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return result


setattr(module, name, killing)

from wirecopy.cli import app  # noqa: E402  (after the patch, so that the command sees it)

app(arguments, prog_name="wirecopy")
