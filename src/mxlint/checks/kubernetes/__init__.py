"""Rules over Kubernetes and Cloud Run (Knative) manifests (pyyaml node trees)."""
