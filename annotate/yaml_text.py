"""YAML text that annotators edit, changed without touching what they wrote.

PyYAML reads a document but cannot write it back with its comments and layout (ruamel.yaml can, at the
cost of a dependency). The two edits ``annotate`` makes to a file it did not just write are narrow, so
they are made on the text itself, located by the positions PyYAML's composer gives each node:

- ``append_items``: new entries at the end of a top-level list (``facts``, ``relations``), emitted by
  PyYAML's safe dumper and indented like the list's existing entries;
- ``without_proposed``: the lines of every ``proposed:`` key and its value removed.

Every byte outside the inserted or removed lines is kept. Each edit then reads the new text back and
checks that it holds exactly the intended document; an unusual layout that the edit would break (a
``proposed`` key inside a flow mapping ``{...}``, for one) is refused with a one-line error instead.
"""

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wirecopy.core.errors import NOT_APPLICABLE, InputError
from wirecopy.core.yaml_loader import StrictLoader, parse_yaml

PROPOSED = "proposed"


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with list items indented under their key as people write them (``key:\\n  - a``)."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, items: list) -> yaml.SequenceNode:
    # A list of plain words on one line, as people write a pair of ids: ``articles: [a, b]``.
    flow = bool(items) and all(isinstance(item, str) and re.fullmatch(r"[\w.-]+", item) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def dump(document: object) -> str:
    """Block-style YAML of plain data: keys in insertion order, Unicode as is, no line folding."""
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 30, default_flow_style=False)


def _compose(text: str, where: str) -> Node | None:
    parse_yaml(text, where)  # the strict loader's one-line errors (aliases, duplicate keys, bad YAML)
    return yaml.compose(text, Loader=StrictLoader)


def _last_line(node: Node) -> int:
    """The last line (0-based) that holds some of ``node``'s own text; -1 for an empty value (``key:``).

    A flow collection or a plain or quoted scalar ends where its text ends; a block collection's end mark
    is the start of the next token (possibly lines further on, after comments), so its last line is its
    last entry's; a block scalar (``|``, ``>``) ends at the start of the line after its last one."""
    if isinstance(node, ScalarNode):
        if node.value == "" and node.style is None:
            return -1
        return node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
    if node.flow_style or not node.value:
        return node.end_mark.line
    last = node.value[-1]
    if isinstance(node, MappingNode):
        return max(_last_line(last[0]), _last_line(last[1]))
    return _last_line(last)


# YAML's line breaks, as PyYAML's reader counts lines (a lone "\r" too; not Python's other breaks).
_BREAK = re.compile("(\r\n|\r|\n|\x85|\u2028|\u2029)")


def _lines(text: str) -> list[str]:
    """The lines of ``text`` as PyYAML numbers them, each with its line break (the last may have none)."""
    parts = _BREAK.split(text)
    lines = ["".join(parts[i : i + 2]) for i in range(0, len(parts), 2)]
    return lines if lines[-1] else lines[:-1]


def _offset(lines: list[str], mark) -> int:
    return sum(map(len, lines[: mark.line])) + mark.column


def _refuse(where: str, field: str, message: str) -> InputError:
    return InputError(where, NOT_APPLICABLE, field, message)


def append_items(text: str, key: str, items: list[dict], where: str) -> str:
    """``text`` (a YAML mapping) with ``items`` appended to its top-level list ``key``; the list is made
    when missing, and an empty flow list (``key: []``) becomes a block list."""
    if not items:
        return text
    root = _compose(text, where)
    before = parse_yaml(text, where)
    if not isinstance(root, MappingNode):
        raise _refuse(where, key, "is not a YAML mapping; cannot add entries to it")
    value = next((v for k, v in root.value if isinstance(k, ScalarNode) and k.value == key), None)
    block = dump(items)
    lines = _lines(text)
    if value is None:
        separator = "" if not lines or _BREAK.search(lines[-1]) else "\n"
        new_text = f"{text}{separator}{key}:\n{_indented(block, 2)}"
    elif isinstance(value, SequenceNode) and value.flow_style and not value.value:
        at, end = _offset(lines, value.start_mark), _offset(lines, value.end_mark)
        new_text = f"{text[:at].rstrip(' ')}\n{_indented(block, 2)}{text[end:].lstrip(' ')}"
    elif isinstance(value, SequenceNode) and not value.flow_style and value.value:
        last = _last_line(value)
        head, tail = "".join(lines[: last + 1]), "".join(lines[last + 1 :])
        if not _BREAK.search(lines[last]):  # the file's last line, without a line break
            head += "\n"
        new_text = f"{head}{_indented(block, value.start_mark.column)}{tail}"
    else:
        raise _refuse(where, key, f"is not a block list ('{key}:' followed by '- ' entries) or an empty one; cannot add entries to it")
    expected = {**before, key: [*(before.get(key) or []), *items]}
    if parse_yaml(new_text, where) != expected:
        raise _refuse(where, key, f"adding {len(items)} entries would change other text of this file (an unusual layout); add them by hand")
    return new_text


def _indented(block: str, columns: int) -> str:
    return "".join(" " * columns + line if line.strip() else line for line in block.splitlines(keepends=True))


def _proposed_keys(node: Node, found: list[tuple[MappingNode, Node, Node]]) -> list[tuple[MappingNode, Node, Node]]:
    """Every ``proposed`` key under ``node``, with its mapping and value, in document order."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == PROPOSED:
                found.append((node, key, value))
            else:
                _proposed_keys(value, found)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _proposed_keys(item, found)
    return found


def _without_proposed(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_proposed(v) for k, v in value.items() if k != PROPOSED}
    if isinstance(value, list):
        return [_without_proposed(v) for v in value]
    return value


def without_proposed(text: str, where: str) -> tuple[str, int]:
    """``text`` without its ``proposed`` keys (each one's lines removed), and how many there were."""
    root = _compose(text, where)
    if root is None:
        return text, 0
    found = _proposed_keys(root, [])
    if not found:
        return text, 0
    lines = _lines(text)
    for mapping, key, value in reversed(found):
        first, last = key.start_mark.line, max(key.start_mark.line, _last_line(value))
        lead = lines[first][: key.start_mark.column]
        flow_value = not isinstance(value, ScalarNode) and value.flow_style
        if mapping.flow_style or lead.strip() not in ("", "-") or (flow_value and _ends_mid_line(lines[last], value)):
            raise _refuse(where, PROPOSED, f"line {first + 1}: a 'proposed' key in a layout this command does not edit; remove it by hand")
        if lead.strip() == "-":
            # "- proposed: ..." opens a list entry: its next key takes over the dash.
            following = lines[last + 1] if last + 1 < len(lines) else ""
            if len(mapping.value) < 2 or following[: key.start_mark.column].strip():
                raise _refuse(where, PROPOSED, f"line {first + 1}: a list entry that holds only 'proposed'; remove it by hand")
            lines[last + 1] = lead + following[key.start_mark.column :]
        del lines[first : last + 1]
    new_text = "".join(lines)
    if parse_yaml(new_text, where) != _without_proposed(parse_yaml(text, where)):
        raise _refuse(where, PROPOSED, "removing the 'proposed' keys would change other text of this file (an unusual layout); remove them by hand")
    return new_text, len(found)


def _ends_mid_line(line: str, value: Node) -> bool:
    """Whether something other than a comment follows a flow value on its last line."""
    rest = line[value.end_mark.column :].strip()
    return bool(rest) and not rest.startswith("#")
