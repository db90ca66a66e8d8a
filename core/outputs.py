"""Outputs that never destroy what wirecopy did not write, and that a killed run leaves whole.

Every folder a command writes (a release, the explorer's site, a synthetic corpus, dedup results) is
filled in a staging folder beside its destination and swapped into place in one atomic step (Linux's
``renameat2(RENAME_EXCHANGE)``), so the destination always holds either the previous complete output
or the new complete one. Each such folder holds a marker, ``.wirecopy-output``, naming the kind of
output and every file written. A command replaces a destination only when

- it does not exist, or is an empty folder;
- it holds a marker of the same kind, and no file that the marker does not list (a user's own file
  put there is never deleted);
- it is not a file or a symbolic link, and neither is nor contains one of the command's inputs, the
  current directory, or the wirecopy installation.

Otherwise the command stops with one line and touches nothing. What a killed run leaves behind
(``.NAME.staging-*`` beside the destination, each with its marker) is removed by the next run into the
same destination; a staging folder that a live run still holds (an ``flock`` on it) is left alone.
"""

import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import NOT_APPLICABLE, InputError

MARKER = ".wirecopy-output"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _refuse(out: Path, message: str) -> InputError:
    return InputError(str(out), NOT_APPLICABLE, NOT_APPLICABLE, message)


def read_marker(folder: Path) -> dict | None:
    """The marker of a folder wirecopy wrote ({"kind", "files"}), or None (also for a malformed one)."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(marker, dict) or not isinstance(marker.get("kind"), str):
        return None
    files = marker.get("files")
    if files is not None and not (isinstance(files, list) and all(isinstance(name, str) for name in files)):
        return None
    return marker


def files_in(folder: Path) -> list[str]:
    """Every file (or symbolic link) under ``folder`` but the marker, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if (p.is_symlink() or not p.is_dir()) and p.name != MARKER)


def _entries(folder: Path) -> list[str]:
    """Every entry under ``folder`` (files, links and folders, empty ones too) but the marker."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.name != MARKER)


def _write_marker(folder: Path, kind: str, files: list[str] | None) -> None:
    (folder / MARKER).write_text(json.dumps({"kind": kind, "files": files}, indent=1) + "\n", encoding="utf-8")


def protected_paths(inputs: Iterable[Path]) -> list[tuple[Path, str]]:
    """What no output may be or contain, each with what it is: the inputs, the current folder, wirecopy."""
    package = Path(__file__).resolve().parent.parent  # the project root in a checkout, site-packages/wirecopy when installed
    return [(Path(p).resolve(), "an input of this command") for p in inputs] + [(Path.cwd().resolve(), "the current folder"), (package, "wirecopy's own installation")]


def check_replaceable(out: Path, kind: str, inputs: Iterable[Path] = ()) -> Path:
    """The absolute destination ``out``, after checking that a ``kind`` output may be written there."""
    out = Path(out)
    if out.is_symlink():
        raise _refuse(out, "is a symbolic link; give the folder itself as the output")
    out = out.resolve()
    for path, role in protected_paths(inputs):
        if path == out:
            raise _refuse(out, f"is {role}; choose another output folder")
        if path.is_relative_to(out):
            raise _refuse(out, f"contains {path}, {role}; choose another output folder")
    if not out.exists():
        return out
    if not out.is_dir():
        raise _refuse(out, "is a file, not a folder that wirecopy wrote; choose another output folder")
    present = _entries(out)
    if not present and not (out / MARKER).exists():
        return out  # an empty folder: nothing to lose
    marker = read_marker(out)
    if marker is None:
        raise _refuse(out, f"is not empty and was not written by wirecopy (no {MARKER}); choose a new or empty folder")
    if marker["kind"] != kind:
        raise _refuse(out, f"holds a {marker['kind']} that wirecopy wrote, not a {kind}; choose another output folder")
    written = set(marker.get("files") or [])
    written |= {parent.as_posix() for name in written for parent in Path(name).parents if parent != Path(".")}  # their folders
    foreign = sorted(set(present) - written)
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise _refuse(out, f"holds {foreign[0]}{more}, which wirecopy did not write; move it away or choose another output folder")
    return out


@contextmanager
def held(folder: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``folder`` for as long as this run works in it (a kill releases it)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _refuse(folder, "is in use by another wirecopy run") from None
        yield
    finally:
        os.close(descriptor)


def in_use(folder: Path) -> bool:
    """Whether a live run holds ``folder`` (or it cannot be opened to tell: then it is left alone too)."""
    try:
        with held(folder):
            return False
    except (InputError, OSError):
        return True


def remove_leftovers(out: Path, kind: str) -> None:
    """Remove the staging folders that killed runs into ``out`` left beside it (only ours: named
    ``.NAME.staging-*`` with a marker of this kind, and not held by a live run). When ``out`` itself is
    missing, a complete leftover (its marker lists its files) is the previous output: it is put back."""
    ours = re.compile(rf"\.{re.escape(out.name)}\.staging-[a-z0-9_]{{8}}")  # mkdtemp's 8 random characters
    for leftover in sorted(p for p in out.parent.iterdir() if ours.fullmatch(p.name)):
        marker = read_marker(leftover) if leftover.is_dir() and not leftover.is_symlink() else None
        if marker is None or marker["kind"] != kind or in_use(leftover):
            continue
        if not out.exists() and marker.get("files") is not None:
            leftover.rename(out)
        else:
            shutil.rmtree(leftover)


def exchange(staging: Path, out: Path) -> None:
    """Put ``staging`` at ``out`` in one step; the previous ``out`` (if any) ends up at ``staging``."""
    if not out.exists():
        staging.rename(out)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None and renameat2(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE) == 0:
        return
    code = ctypes.get_errno() if renameat2 is not None else errno.ENOSYS
    if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        raise OSError(code, os.strerror(code), str(out))
    # No atomic exchange here (another OS or file system): two renames. A kill between them leaves the
    # previous output complete in a staging folder, which the next run puts back (remove_leftovers).
    previous = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    previous.rmdir()
    out.rename(previous)
    staging.rename(out)
    previous.rename(staging)


def replace_folder(out: Path, kind: str, fill: Callable[[Path], None], inputs: Iterable[Path] = ()) -> Path:
    """Let ``fill`` write a ``kind`` output into a staging folder beside ``out``, then swap it in.

    Refuses (``InputError``, nothing touched) a destination that ``check_replaceable`` rejects; if
    ``fill`` raises, ``out`` is left as it was. Returns the absolute destination."""
    inputs = list(inputs)
    out = check_replaceable(out, kind, inputs)
    with made_parents(out):
        remove_leftovers(out, kind)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
        try:
            with held(staging):
                staging.chmod(0o755)  # mkdtemp makes it private; the result is an ordinary folder
                _write_marker(staging, kind, None)  # ours from the start, so that a leftover is recognised
                fill(staging)
                _write_marker(staging, kind, files_in(staging))
                check_replaceable(out, kind, inputs)  # nothing of anyone else's appeared there meanwhile
                exchange(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return out


@contextmanager
def made_parents(out: Path) -> Iterator[None]:
    """The folders above ``out``, made if missing, and removed again if the run fails (when still empty)."""
    missing = [parent for parent in out.parents if not parent.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        yield
    except BaseException:
        for parent in missing:  # deepest first
            with suppress(OSError):
                parent.rmdir()
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Replace the file ``path`` with ``text`` in one rename (a killed run leaves the old file whole)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.writing-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8", newline="")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
