"""Adding a keyword argument to a call in the call's own layout (one line, or one argument a line with
or without a trailing comma); comments after the arguments stay where they were."""

from __future__ import annotations

import libcst as cst


def add_keyword(call: cst.Call, keyword: str, value: str) -> cst.Call:
    """``call`` with ``keyword=value`` appended after its last argument."""
    new = cst.Arg(
        value=cst.parse_expression(value),
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    # The whitespace between two arguments: after the previous comma, else after the open paren.
    if len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
        between = args[-2].comma.whitespace_after
    else:
        between = call.whitespace_before_args
    if not isinstance(between, cst.ParenthesizedWhitespace):
        between = cst.SimpleWhitespace(" ")
    if isinstance(last.comma, cst.Comma):
        # A trailing comma: the new argument takes it over, with the line break before ")".
        closing = last.comma.whitespace_after
        if isinstance(closing, cst.ParenthesizedWhitespace) and isinstance(
            between, cst.ParenthesizedWhitespace
        ):
            # Keep a comment after the old last argument on its line; indent like the others.
            kept = closing.with_changes(indent=between.indent, last_line=between.last_line)
            moved = closing.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
            args[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=kept))
            new = new.with_changes(comma=last.comma.with_changes(whitespace_after=moved))
        else:
            args[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=between))
            new = new.with_changes(comma=last.comma)
    else:
        args[-1] = last.with_changes(
            comma=cst.Comma(whitespace_after=between), whitespace_after_arg=cst.SimpleWhitespace("")
        )
        new = new.with_changes(whitespace_after_arg=last.whitespace_after_arg)
    return call.with_changes(args=[*args, new])
