"""Rules over `.pre-commit-config.yaml`."""
