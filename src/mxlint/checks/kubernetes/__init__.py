"""Rules over Kubernetes manifests (pyyaml node trees)."""
