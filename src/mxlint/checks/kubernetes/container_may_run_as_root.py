"""MX603: a container whose effective security context lets it run as root."""

from __future__ import annotations

from mxlint.analysis.kubernetes import is_windows, run_as, workloads
from mxlint.checks.base import KubernetesRule, rule


@rule("MX603")
class ContainerMayRunAsRoot(KubernetesRule):
    def check(self) -> None:
        for workload in workloads(self.context.documents):
            # Cloud Run has no runAsUser: the image's USER decides (MX602); Windows pods use
            # windowsOptions instead.
            if workload.knative or is_windows(workload):
                continue
            for container in workload.containers:  # init containers too: root there is root in the pod
                effective = run_as(workload, container)
                if not effective.may_be_root:
                    continue
                if self.context.kustomize_patch and effective.user != 0:
                    continue  # a patch leaves the rest of the security context to its base
                if effective.user == 0:
                    reason = "its effective runAsUser is 0"
                    if effective.non_root:
                        reason += " (with runAsNonRoot: true the kubelet refuses to start it)"
                else:
                    reason = "neither runAsNonRoot: true nor a non-zero runAsUser applies to it"
                self.report(effective.line, effective.column, container=container.label, reason=reason)
