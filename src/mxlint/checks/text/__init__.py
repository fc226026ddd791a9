"""Rules over plain text files (Markdown docs, crontabs)."""
