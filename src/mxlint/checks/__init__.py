"""Rule code, one module per rule, grouped by the file kind it reads.

Every module is imported here explicitly (no globbing); a meta-test checks the list is complete.
"""

from mxlint.checks.dockerfile import (  # noqa: F401
    dockerfile_runs_as_root,
    dockerfile_secret_in_env,
    dockerfile_single_stage,
)
from mxlint.checks.kubernetes import (  # noqa: F401
    container_may_run_as_root,
    deployment_without_autoscaler,
    manifest_secret_literal,
    missing_liveness_probe,
    missing_readiness_probe,
    missing_resource_limits,
    scale_to_zero,
)
from mxlint.checks.python import (  # noqa: F401
    http_call_without_timeout,
    page_size_out_of_range,
    print_instead_of_logging,
    retry_after_ignored,
    unpaginated_list_call,
)
