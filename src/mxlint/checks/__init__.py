"""Rule code, one module per rule, grouped by the file kind it reads.

Every module is imported here explicitly (no globbing); a meta-test checks the list is complete.
"""

from mxlint.checks.dockerfile import (  # noqa: F401
    dockerfile_runs_as_root,
    dockerfile_secret_in_env,
    dockerfile_single_stage,
)
from mxlint.checks.dotenv import (  # noqa: F401
    committed_env_file,
)
from mxlint.checks.gitignore import (  # noqa: F401
    gitignore_misses_secrets,
)
from mxlint.checks.kubernetes import (  # noqa: F401
    container_may_run_as_root,
    deployment_without_autoscaler,
    manifest_secret_literal,
    missing_liveness_probe,
    missing_readiness_probe,
    missing_resource_limits,
    scale_to_zero,
    service_without_alert_rules,
    sync_without_reconciliation_job,
)
from mxlint.checks.precommit import (  # noqa: F401
    missing_secret_scanning_hook,
)
from mxlint.checks.python import (  # noqa: F401
    client_per_call,
    http_call_without_timeout,
    invalid_status_value,
    logging_without_json_formatter,
    missing_circuit_breaker,
    missing_health_route,
    missing_metrics,
    missing_rate_limiter,
    missing_readiness_route,
    missing_retry_backoff,
    page_size_out_of_range,
    polling_loop,
    print_instead_of_logging,
    project_facts,
    retry_after_ignored,
    sync_state_in_memory,
    unaudited_write,
    uncached_static_lookup,
    unpaginated_list_call,
    unvalidated_request_body,
    webhook_not_idempotent,
    webhook_signature_unverified,
)
from mxlint.checks.text import (  # noqa: F401
    docs_without_rollback_section,
    hardcoded_secret,
    maintainx_token_literal,
)
