"""One parser per file kind. Each turns raw bytes into the document its rules read, or raises
:class:`SourceError`, which the engine reports as MX000 and as a SARIF tool notification."""

from __future__ import annotations


class SourceError(Exception):
    """The file could not be read or parsed; ``line``/``column`` are 1-based where known."""

    def __init__(self, message: str, line: int = 1, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = max(line, 1)
        self.column = column


class SkippedSourceError(SourceError):
    """The file is deliberately not checked (e.g. a Helm template): a tool notification, no finding."""
