"""Rules over raw text, which may run on several file kinds."""
