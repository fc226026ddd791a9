"""Rules over Python source (libcst)."""
