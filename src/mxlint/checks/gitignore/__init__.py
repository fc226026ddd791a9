"""Rules over `.gitignore` files."""
