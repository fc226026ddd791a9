"""Rule code, one module per rule, grouped by the file kind it reads.

Every module is imported here explicitly (no globbing); a meta-test checks the list is complete.
"""

from mxlint.checks.python import (  # noqa: F401
    http_call_without_timeout,
    invalid_status_value,
    page_size_out_of_range,
    print_instead_of_logging,
    retry_after_ignored,
    sync_state_in_memory,
    unaudited_write,
    unpaginated_list_call,
)
