"""Rules over Dockerfiles (dockerfile-parse, split into stages by ``mxlint.sources.dockerfile``)."""
