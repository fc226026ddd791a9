from __future__ import annotations

from mxlint.suppression import Suppressions, parse


def ignores(text: str, python: bool = True):
    return parse(text, text.encode(), python=python)


def test_ids_names_and_reason() -> None:
    (found,) = ignores("x = 1  # mxlint: ignore[MX401, blanket-ignore] -- reviewed by ops\n")
    assert found.rule_ids == {"MX401", "MX001"}
    assert found.reason == "reviewed by ops"
    assert not found.bare
    assert not found.own_line


def test_bare_ignore_is_recognised() -> None:
    (found,) = ignores("x = 1  # mxlint: ignore\n")
    assert found.bare and not found.rule_ids


def test_text_inside_python_strings_is_not_a_comment() -> None:
    assert ignores('x = "# mxlint: ignore[MX401]"\n') == []


def test_yaml_and_dockerfile_comments() -> None:
    text = "# mxlint: ignore[MX401] base image needs root\nUSER root\n"
    (found,) = ignores(text, python=False)
    assert found.line == 1 and found.own_line


def test_coverage_rules() -> None:
    text = "\n".join(
        [
            "# mxlint: ignore[MX401] reason a",  # 1: alone on its line, covers 2
            "print(1)",  # 2
            "print(2)  # mxlint: ignore[MX401]",  # 3: trailing, covers 3 only
            "print(3)",  # 4
            "call(  # mxlint: ignore[MX401] stmt",  # 5: first line of a statement
            "  print(4))",  # 6
        ]
    )
    suppressions = Suppressions(ignores(text))
    assert suppressions.justification("MX401", 2) == "reason a"
    assert suppressions.justification("MX401", 3) == ""
    assert suppressions.justification("MX401", 4) is None
    assert suppressions.justification("MX401", 6) is None
    assert suppressions.justification("MX401", 6, statement_line=5) == "stmt"
    assert suppressions.justification("MX201", 2) is None


def test_unknown_ids_are_dropped() -> None:
    (found,) = ignores("x  # mxlint: ignore[MX999]\n")
    assert found.rule_ids == frozenset() and not found.bare


def test_files_without_the_marker_are_not_tokenized() -> None:
    assert parse("def broken(:\n", b"def broken(:\n", python=True) == []


def test_yaml_strings_and_block_scalars_are_not_comments() -> None:
    text = "\n".join(
        [
            'message: "`# mxlint: ignore` names no rule"',  # 1: inside quotes
            "description: >",  # 2: folded block opens
            "  Flags a `# mxlint: ignore` comment.",  # 3: block text
            "  code: x  # mxlint: ignore",  # 4: block text, even after white space
            "image: app  # mxlint: ignore[MX401] pinned by ops",  # 5: a real comment
            "examples:",
            "  - code: |",  # 7: block inside a list
            "      print(1)  # mxlint: ignore",  # 8: block text
            "  - other: 1  # mxlint: ignore",  # 9: a real bare comment
        ]
    )
    found = parse(text, text.encode(), python=False, yaml=True)
    assert [(i.line, i.bare) for i in found] == [(5, False), (9, True)]


def test_dockerfile_hash_inside_a_word_is_not_a_comment() -> None:
    text = 'RUN echo "#mxlint: ignore" && curl x#mxlint:ignore\n# mxlint: ignore[MX401] base image\n'
    assert [i.line for i in parse(text, text.encode(), python=False)] == [2]
