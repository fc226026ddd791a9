"""YAML as pyyaml node trees (every node knows its line), one tree per document.

Composing never constructs Python objects, so custom tags (``!Ref``, ``!vault``) are kept as tags
instead of failing, and nothing in the file is ever executed.
"""

from __future__ import annotations

import bisect
import re

import yaml

from mxlint.sources import SkippedSourceError, SourceError

_TEMPLATE_MARKERS = ("{{", "{%")


def compose(text: str, *, templates_skip: bool = False) -> list[yaml.Node]:
    """The documents of ``text`` (empty documents dropped).

    With ``templates_skip``, a file whose template markup (Helm's ``{{ }}``, Jinja's ``{% %}``) shapes
    the YAML is skipped with a notification: it is not YAML until rendered. Markup inside a string
    (a Prometheus annotation's ``{{ $value }}``) is data, and the file is checked.
    """
    marked = templates_skip and any(marker in text for marker in _TEMPLATE_MARKERS)
    try:
        documents = _compose(text)
    except SourceError:
        if marked:
            raise _template(text) from None
        raise
    if marked and not _markup_is_data(text, documents):
        raise _template(text)
    return documents


def _compose(text: str) -> list[yaml.Node]:
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


_MARKUP = re.compile(r"\{\{|\{%")


def _template(text: str) -> SkippedSourceError:
    rows = enumerate(text.splitlines(), 1)
    line = next((number for number, row in rows if _MARKUP.search(row)), 1)
    message = "skipped: a template (Helm/Jinja markup) is not plain YAML; render it to check it"
    return SkippedSourceError(message, line)


def _markup_is_data(text: str, documents: list[yaml.Node]) -> bool:
    """Whether every piece of markup outside a comment lies inside a scalar (a string value). Markup
    that builds structure (``{{- toYaml .Values.resources | nindent 12 }}``) parses, if at all, as
    flow mappings, never as part of a scalar."""
    spans: list[tuple[int, int]] = []
    seen: set[int] = set()
    pending = list(documents)
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            pending.extend(part for pair in node.value for part in pair)
    spans.sort()
    starts = [start for start, _ in spans]
    for match in _MARKUP.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text[line_start : match.start()].lstrip().startswith("#"):
            continue  # a YAML comment
        index = bisect.bisect_right(starts, match.start()) - 1
        if index < 0 or spans[index][1] <= match.start():
            return False
    return True


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


_NULL = "tag:yaml.org,2002:null"


def value_of(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node of ``key``, None when absent or null (``key: ~`` or ``key:`` means unset)."""
    value = get(node, key)
    return None if isinstance(value, yaml.ScalarNode) and value.tag == _NULL else value


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
