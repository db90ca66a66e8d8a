"""One line of a JSONL file a user gives us, as a JSON object, or the reason it is not one."""

import json


def json_object(raw: bytes) -> dict:
    """The JSON object on one line (bytes, strict UTF-8); ``ValueError`` with the reason otherwise
    (deep nesting and integers of more digits than Python converts included)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not valid UTF-8 at byte {error.start}") from None
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error.msg}") from None
    except RecursionError:
        raise ValueError("not JSON this reader accepts: nested too deeply") from None
    except ValueError as error:
        raise ValueError(f"not JSON this reader accepts: {error}") from None
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value
