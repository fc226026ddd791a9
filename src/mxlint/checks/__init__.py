"""Rule code, one module per rule, grouped by the file kind it reads.

Every module is imported here explicitly (no globbing); a meta-test checks the list is complete.
"""

from mxlint.checks.dotenv import committed_env_file  # noqa: F401
from mxlint.checks.gitignore import gitignore_misses_secrets  # noqa: F401
from mxlint.checks.precommit import missing_secret_scanning_hook  # noqa: F401
from mxlint.checks.python import (  # noqa: F401
    http_call_without_timeout,
    page_size_out_of_range,
    print_instead_of_logging,
    retry_after_ignored,
    unpaginated_list_call,
)
from mxlint.checks.text import hardcoded_secret, maintainx_token_literal  # noqa: F401
