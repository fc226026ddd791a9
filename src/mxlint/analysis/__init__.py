"""Helpers rules share (ruff's ``helpers.rs``): name resolution, HTTP clients, MaintainX calls."""
