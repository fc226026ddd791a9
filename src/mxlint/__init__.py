"""mxlint: a policy-as-code static analyzer for MaintainX API integrations."""

__version__ = "0.1.0"
