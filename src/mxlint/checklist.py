"""The MaintainX go-live checklist: keys, requirements and priorities, in checklist order.

Source of truth: ``shared/spec/checklist.md``. A rule's YAML names one key; the registry checks that
the key exists here and that the rule's priority equals the key's.
"""

from __future__ import annotations

from dataclasses import dataclass

from mxlint.model import Priority


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    requirement: str
    priority: Priority

    @property
    def category(self) -> str:
        return self.key.split(".", 1)[0]


P0, P1, P2 = Priority.P0, Priority.P1, Priority.P2

ITEMS: tuple[ChecklistItem, ...] = (
    ChecklistItem("auth.no-hardcoded-secrets", "No secrets in the codebase", P0),
    ChecklistItem("auth.secret-manager", "API key in a secret manager, not an env file or code", P0),
    ChecklistItem("auth.gitignore", "`.env` and `*.key` ignored", P0),
    ChecklistItem("auth.precommit-secret-hook", "Pre-commit hook blocking secret commits", P0),
    ChecklistItem("errors.timeout", "Request timeout set (30 s recommended)", P0),
    ChecklistItem("errors.retry-backoff", "Retry with exponential backoff on 429 and 5xx", P0),
    ChecklistItem("errors.retry-after", "Server wait time honoured on 429", P0),
    ChecklistItem("errors.circuit-breaker", "Circuit breaker against cascading failure", P1),
    ChecklistItem("data.pagination", "Cursor pagination on every list endpoint", P0),
    ChecklistItem("data.webhook-idempotency", "Idempotent webhook handlers", P0),
    ChecklistItem("data.webhook-signature", "Webhook authenticity (audit/security)", P0),
    ChecklistItem("data.sync-state", "Sync state persisted, survives restarts", P0),
    ChecklistItem("data.status-transitions", "Valid work-order status paths only", P1),
    ChecklistItem("observability.structured-logging", "Structured JSON logging, no print", P0),
    ChecklistItem("observability.metrics", "Request metrics: count, latency, error rate", P0),
    ChecklistItem("observability.health", "`/health` reporting API connectivity", P0),
    ChecklistItem("observability.readiness", "`/ready` for orchestration", P0),
    ChecklistItem("observability.alerting", "Alerts: error rate > 5 %, latency > 5 s, sync lag > 15 min", P2),
    ChecklistItem("performance.connection-pooling", "Pooling with keep-alive", P1),
    ChecklistItem("performance.caching", "Cache static resources (users, locations, teams)", P1),
    ChecklistItem("performance.page-size", "Use the largest page size", P1),
    ChecklistItem("performance.webhooks-over-polling", "Webhooks instead of polling", P1),
    ChecklistItem("performance.rate-limiting", "Stay within API quotas", P1),
    ChecklistItem("security.input-validation", "Validate user-provided data", P1),
    ChecklistItem("security.audit-logging", "Audit logging", P1),
    ChecklistItem("deployment.multi-stage", "Multi-stage Docker build", P1),
    ChecklistItem("deployment.non-root", "Non-root user in the container", P1),
    ChecklistItem("deployment.resource-limits", "CPU and memory limits", P1),
    ChecklistItem("deployment.autoscaling", "Auto-scaling, at least one instance for webhooks", P1),
    ChecklistItem("recovery.rollback", "Rollback procedure documented and tested", P2),
    ChecklistItem("recovery.reconciliation", "Daily reconciliation job", P2),
)

BY_KEY: dict[str, ChecklistItem] = {item.key: item for item in ITEMS}


@dataclass(frozen=True)
class ManualItem:
    """A checklist item no file can show: a "manual" row of the readiness report, never a finding."""

    after: str  # the key whose row it follows in the report
    requirement: str
    priority: Priority  # the step it sits in (checklist.md: items the summary leaves out)

    @property
    def category(self) -> str:
        return self.after.split(".", 1)[0]


MANUAL_ITEMS: tuple[ManualItem, ...] = (
    ManualItem("auth.precommit-secret-hook", "API key rotated every 90 days", P0),
    ManualItem("errors.circuit-breaker", "Graceful degradation while MaintainX is unavailable", P0),
    ManualItem("deployment.resource-limits", "Resource-limit values right for the measured load", P1),
    ManualItem("recovery.rollback", "Rollback procedure tested", P2),
)

CATEGORY_TITLES: dict[str, str] = {
    "auth": "Authentication",
    "errors": "Error handling",
    "data": "Data integrity",
    "observability": "Observability",
    "performance": "Performance",
    "security": "Security",
    "deployment": "Deployment",
    "recovery": "Recovery",
}

# Rule ids are MX + category digit + two digits; MX0xx are mxlint's own rules (category "tool").
CATEGORY_DIGIT: dict[str, str] = {
    "tool": "0",
    "auth": "1",
    "security": "1",
    "errors": "2",
    "data": "3",
    "observability": "4",
    "performance": "5",
    "deployment": "6",
    "recovery": "7",
}
