"""YAML as pyyaml node trees (every node knows its line), one tree per document.

Composing never constructs Python objects, so custom tags (``!Ref``, ``!vault``) are kept as tags
instead of failing, and nothing in the file is ever executed.
"""

from __future__ import annotations

import yaml

from mxlint.sources import SkippedSourceError, SourceError

_TEMPLATE_MARKERS = ("{{", "{%")


def compose(text: str, *, templates_skip: bool = False) -> list[yaml.Node]:
    """The documents of ``text`` (empty documents dropped).

    With ``templates_skip``, a file holding template markup (Helm's ``{{ }}``, Jinja's ``{% %}``) is
    skipped with a notification: it is not YAML until rendered.
    """
    if templates_skip and any(marker in text for marker in _TEMPLATE_MARKERS):
        rows = enumerate(text.splitlines(), 1)
        line = next(number for number, row in rows if any(marker in row for marker in _TEMPLATE_MARKERS))
        message = "skipped: a template (Helm/Jinja markup) is not plain YAML; render it to check it"
        raise SkippedSourceError(message, line)
    try:
        return [node for node in yaml.compose_all(text, Loader=yaml.SafeLoader) if node is not None]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        if mark is None:
            raise SourceError(f"cannot parse YAML: {problem}") from None
        raise SourceError(f"cannot parse YAML: {problem}", mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as error:
        raise SourceError(f"cannot parse YAML: {error}") from None
    except RecursionError:
        raise SourceError("cannot parse YAML: nested too deeply") from None


def line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def column(node: yaml.Node) -> int:
    return node.start_mark.column + 1


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _entry(
    node: yaml.Node | None, key: str, seen: frozenset[int] = frozenset()
) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) nodes of ``key`` in a mapping node; the last one wins, as in YAML loaders.

    Merge keys (``<<: *defaults``) are followed as loaders do: an explicit key wins, then the first
    merged mapping that has it. Composing does not apply merges, so without this an inherited
    ``resources:`` or ``securityContext:`` would look missing.
    """
    if not isinstance(node, yaml.MappingNode) or id(node) in seen:
        return None
    found = None
    merged: list[yaml.Node] = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        if key_node.value == key and key_node.tag != _MERGE_TAG:
            found = (key_node, value_node)
        elif key_node.tag == _MERGE_TAG:
            merged.extend(value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node])
    for source in merged if found is None else ():
        found = _entry(source, key, seen | {id(node)})
        if found is not None:
            break
    return found


def get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node of ``key`` in a mapping node."""
    entry = _entry(node, key)
    return entry[1] if entry else None


def key_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The key node of ``key`` in a mapping node: where to report a bad or missing value."""
    entry = _entry(node, key)
    return entry[0] if entry else None


def path(node: yaml.Node | None, *keys: str) -> yaml.Node | None:
    for key in keys:
        node = get(node, key)
    return node


def scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []
