"""Rule code, one module per rule, grouped by the file kind it reads.

Every module is imported here explicitly (no globbing); a meta-test checks the list is complete.
"""

from mxlint.checks.python import (  # noqa: F401
    http_call_without_timeout,
    missing_health_route,
    missing_metrics,
    missing_readiness_route,
    page_size_out_of_range,
    print_instead_of_logging,
    retry_after_ignored,
    unpaginated_list_call,
    unvalidated_request_body,
    webhook_not_idempotent,
    webhook_signature_unverified,
)
