"""Rule code, one module per rule, grouped by the file kind it reads.

Every module is imported here explicitly (no globbing); a meta-test checks the list is complete.
"""

from mxlint.checks.kubernetes import service_without_alert_rules, sync_without_reconciliation_job  # noqa: F401
from mxlint.checks.python import (  # noqa: F401
    http_call_without_timeout,
    invalid_status_value,
    logging_without_json_formatter,
    page_size_out_of_range,
    print_instead_of_logging,
    project_facts,
    retry_after_ignored,
    sync_state_in_memory,
    unaudited_write,
    unpaginated_list_call,
)
from mxlint.checks.text import docs_without_rollback_section  # noqa: F401
