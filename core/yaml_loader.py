"""The one YAML loader for every file a user gives us (annotation sidecars, corpus.yaml, CITATION.cff,
a release's card).

It is PyYAML's safe loader, made strict where the safe loader is silent or unsafe:
- aliases (``*name``) are refused: nested aliases (a "billion laughs" file) expand exponentially;
  annotations never need them;
- a key given twice in one mapping is an error (PyYAML keeps the last one silently);
- scalars that look like dates stay strings, so ``2023-02-30`` reaches the schema's date check;
- a document nested deeper than the parser's recursion allows is an error, not a crash.
"""

from pathlib import Path

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from .errors import NOT_APPLICABLE, InputError


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases, duplicate keys or the timestamp resolver."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise ComposerError(None, None, "aliases (*name) are not allowed", self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, where: str) -> object:
    """The document in ``text``; a ``InputError`` naming ``where`` (a file) when it is not valid."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.YAMLError as error:
        raise InputError(where, NOT_APPLICABLE, NOT_APPLICABLE, f"not valid YAML: {' '.join(str(error).split())}") from None
    except RecursionError:
        raise InputError(where, NOT_APPLICABLE, NOT_APPLICABLE, "not valid YAML: nested too deeply") from None
    except TypeError:  # a mapping key that is a list or a mapping (unhashable)
        raise InputError(where, NOT_APPLICABLE, NOT_APPLICABLE, "not valid YAML here: a mapping key that is not a plain value") from None
    except ValueError as error:  # a tagged value that does not convert (!!int abc, !!timestamp 2023-02-30, 5,000 digits)
        raise InputError(where, NOT_APPLICABLE, NOT_APPLICABLE, f"not valid YAML here: {' '.join(str(error).split())}") from None


def load_yaml(path: Path) -> object:
    """The YAML document in the file ``path`` (strict UTF-8)."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(str(path), NOT_APPLICABLE, NOT_APPLICABLE, f"not valid UTF-8 at byte {error.start}") from None
    return parse_yaml(text, str(path))
