"""The Kubernetes/Cloud Run workload model: kinds, pod spec paths, containers, precedence, scale."""

from __future__ import annotations

import textwrap

import pytest

from mxlint.analysis.kubernetes import (
    is_windows,
    knative_min_scale,
    run_as,
    serves_http,
    workloads,
)
from mxlint.sources.yaml import compose


def _workloads(text: str):
    return workloads(compose(textwrap.dedent(text)))


def test_every_workload_kind_and_its_pod_spec() -> None:
    found = _workloads(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: pod}
        spec:
          containers: [{name: a}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: deploy}
        spec:
          template:
            spec:
              containers: [{name: b}]
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: cron}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers: [{name: c}]
        ---
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: knative}
        spec:
          template:
            spec:
              containers: [{image: gcr.io/acme/app:1}]
        """
    )
    assert [(w.kind, w.name, [c.name for c in w.containers]) for w in found] == [
        ("Pod", "pod", ["a"]),
        ("Deployment", "deploy", ["b"]),
        ("CronJob", "cron", ["c"]),
        ("Service", "knative", ["gcr.io/acme/app:1"]),
    ]
    assert [w.long_running for w in found] == [True, True, False, True]
    assert [w.knative for w in found] == [False, False, False, True]


def test_what_is_never_a_workload() -> None:
    found = _workloads(
        """
        - not a mapping
        ---
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [deploy.yaml]
        ---
        apiVersion: v1
        kind: List
        items:
          - {apiVersion: v1, kind: Pod, spec: {containers: [{name: a}]}}
        ---
        apiVersion: v1
        kind: Service
        spec: {selector: {app: a}}
        ---
        apiVersion: acme.io/v1
        kind: Deployment
        spec: {template: {spec: {containers: [{name: a}]}}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        spec: {template: "{{ template }}"}
        ---
        plain: yaml
        """
    )
    assert found == []


def test_containers_lines_and_init_containers() -> None:
    (workload,) = _workloads(
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: store
        spec:
          template:
            spec:
              initContainers:
                - name: init
                  image: busybox
              containers:
                - image: redis
                  name: redis
                - image: sidecar
        """
    )
    assert workload.line == 5
    assert [(c.name, c.init, c.line) for c in workload.containers] == [
        ("redis", False, 14),
        ("sidecar", False, 15),
        ("init", True, 10),
    ]
    assert [c.name for c in workload.app_containers] == ["redis", "sidecar"]


@pytest.mark.parametrize(
    ("restart_policy", "long_running"),
    [("", True), ("restartPolicy: Always", True), ("restartPolicy: Never", False)],
)
def test_a_bare_pod_is_long_running_unless_it_is_not_restarted(
    restart_policy: str, long_running: bool
) -> None:
    (workload,) = _workloads(
        f"""
        apiVersion: v1
        kind: Pod
        spec:
          {restart_policy}
          containers: [{{name: a}}]
        """
    )
    assert workload.long_running is long_running


def _effective(pod: str, container: str):
    (workload,) = _workloads(
        f"""
        apiVersion: v1
        kind: Pod
        spec:
          securityContext: {pod}
          containers:
            - name: app
              securityContext: {container}
        """
    )
    return run_as(workload, workload.containers[0])


@pytest.mark.parametrize(
    ("pod", "container", "may_be_root"),
    [
        ("{}", "{}", True),
        ("{runAsNonRoot: true}", "{}", False),
        ("{runAsUser: 1000}", "{}", False),
        ("{runAsNonRoot: true}", "{runAsNonRoot: false}", True),  # the container overrides the pod
        ("{runAsNonRoot: true}", "{runAsUser: 0}", True),  # refused by the kubelet, still reported
        ("{runAsUser: 0}", "{runAsUser: 1000}", False),
        ("{runAsUser: 1000}", "{runAsUser: 0}", True),
        ("{runAsUser: 1000}", "{runAsUser: null}", False),  # null is unset: the pod's value applies
        ("{}", "{runAsUser: '${UID}'}", False),  # not a literal: trusted
        ("{runAsNonRoot: 'true'}", "{}", True),  # a string is not the boolean the API expects
    ],
)
def test_run_as_follows_kubernetes_precedence(pod: str, container: str, may_be_root: bool) -> None:
    assert _effective(pod, container).may_be_root is may_be_root


def test_run_as_reports_the_effective_root_user_line() -> None:
    effective = _effective("{runAsUser: 0}", "{}")
    assert (effective.user, effective.line) == (0, 5)


def test_windows_pods() -> None:
    (workload,) = _workloads("apiVersion: v1\nkind: Pod\nspec: {os: {name: windows}, containers: []}\n")
    assert is_windows(workload)


def _service(service_annotations: str = "{}", revision_annotations: str = "{}"):
    (workload,) = _workloads(
        f"""
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata:
          name: hooks
          annotations: {service_annotations}
        spec:
          template:
            metadata:
              annotations: {revision_annotations}
            spec:
              containers: [{{image: app}}]
        """
    )
    return knative_min_scale(workload)


@pytest.mark.parametrize(
    ("service", "revision", "value", "explicit"),
    [
        ("{}", "{}", 0, False),  # Cloud Run's and Knative's default
        ("{}", "{autoscaling.knative.dev/minScale: '1'}", 1, True),
        ("{}", "{autoscaling.knative.dev/min-scale: '0'}", 0, True),
        ("{run.googleapis.com/minScale: '2'}", "{autoscaling.knative.dev/minScale: '0'}", 2, True),
        ("{}", "{autoscaling.knative.dev/class: hpa.autoscaling.knative.dev}", 1, False),
        ("{}", "{autoscaling.knative.dev/minScale: '${MIN}'}", None, True),
        (
            "{run.googleapis.com/scalingMode: manual, run.googleapis.com/manualInstanceCount: '3'}",
            "{autoscaling.knative.dev/minScale: '0'}",
            3,
            True,
        ),
    ],
)
def test_knative_min_scale(service: str, revision: str, value: int | None, explicit: bool) -> None:
    scale = _service(service, revision)
    assert (scale.value, scale.explicit) == (value, explicit)


def test_a_missing_min_scale_is_reported_where_the_annotation_belongs() -> None:
    assert _service().line == 9  # spec.template.metadata


@pytest.mark.parametrize(
    ("ports", "serves"),
    [
        ("[{name: http, containerPort: 8080}]", True),
        ("[{name: http-api, containerPort: 8080}]", True),
        ("[{name: webhooks, containerPort: 8080}]", True),
        ("[{name: metrics, containerPort: 9090}]", False),
        ("[{name: http-metrics, containerPort: 9090}]", False),
        ("[{containerPort: 8080}]", False),
        ("[]", False),
    ],
)
def test_serves_http_by_port_name(ports: str, serves: bool) -> None:
    (workload,) = _workloads(
        f"""
        apiVersion: apps/v1
        kind: Deployment
        spec:
          template:
            spec:
              containers: [{{name: app, ports: {ports}}}]
        """
    )
    assert serves_http(workload) is serves


# The rules end to end (the engine, discovery and projects), beyond the documented examples.

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: receiver
  namespace: {namespace}
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/receiver:1
          ports: [{{name: http, containerPort: 8080}}]
          env:
            - {{name: MAINTAINX_API_KEY, value: "planted-fake-key-1234567890"}}
"""
HPA = """\
apiVersion: {api}
kind: {kind}
metadata:
  name: receiver
  namespace: {namespace}
spec:
  scaleTargetRef: {{name: receiver}}
"""


def _mx605(lint, files: dict[str, str], **kwargs) -> list[tuple[str, int]]:
    result = lint(files, select=["MX605"], **kwargs)
    return [(f.path, f.line) for f in result.findings if f.rule_id == "MX605"]


def test_mx605_an_autoscaler_counts_only_in_the_same_project_and_namespace(lint) -> None:
    files = {
        "svc_a/requirements.txt": "requests\n",
        "svc_a/deploy/app.yaml": DEPLOYMENT.format(namespace="sync"),
        "svc_b/requirements.txt": "requests\n",
        "svc_b/deploy/hpa.yaml": HPA.format(
            api="autoscaling/v2", kind="HorizontalPodAutoscaler", namespace="sync"
        ),
        "svc_c/requirements.txt": "requests\n",
        "svc_c/deploy/app.yaml": DEPLOYMENT.format(namespace="sync"),
        "svc_c/deploy/hpa.yaml": HPA.format(
            api="autoscaling/v2", kind="HorizontalPodAutoscaler", namespace="other"
        ),
    }
    assert _mx605(lint, files) == [("svc_a/deploy/app.yaml", 4), ("svc_c/deploy/app.yaml", 4)]


def test_mx605_accepts_a_keda_scaled_object_and_is_skipped_in_file_scope(lint) -> None:
    files = {"deploy/app.yaml": DEPLOYMENT.format(namespace="sync")}
    assert _mx605(lint, files, scope="files") == []
    files["deploy/keda.yaml"] = HPA.format(api="keda.sh/v1alpha1", kind="ScaledObject", namespace="sync")
    assert _mx605(lint, files) == []


KUSTOMIZE_OVERLAY = {
    "deploy/overlays/prod/kustomization.yaml": (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\n"
        "patches:\n  - path: memory.yaml\n  - patch: |-\n      - op: remove\n"
        "patchesStrategicMerge:\n  - ../../patches/secret.yaml\n"
    ),
    "deploy/overlays/prod/memory.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: receiver}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: app\n"
        "          ports: [{name: http, containerPort: 80}]\n"
        "          resources: {limits: {memory: 2Gi}}\n"
    ),
    "deploy/patches/secret.yaml": DEPLOYMENT.format(namespace="sync").replace(
        "          image:", "          securityContext: {runAsUser: 0}\n          image:"
    ),
}
PATCH_RULES = ["MX104", "MX402", "MX403", "MX603", "MX604", "MX605"]


def test_a_kustomize_patch_is_judged_only_on_what_it_writes(lint) -> None:
    # A patch is a partial object: what it leaves out (probes, limits, the pod's security context,
    # an autoscaler) is its base's. What it writes (a literal key, runAsUser: 0) is still judged.
    result = lint(KUSTOMIZE_OVERLAY, select=PATCH_RULES)
    assert sorted((f.path, f.rule_id) for f in result.findings) == [
        ("deploy/patches/secret.yaml", "MX104"),
        ("deploy/patches/secret.yaml", "MX603"),
    ]


def test_a_patch_named_alone_finds_its_kustomization_beside_it(lint) -> None:
    lint(KUSTOMIZE_OVERLAY, select=PATCH_RULES)  # writes the files
    result = lint({}, paths=["deploy/overlays/prod/memory.yaml"], select=PATCH_RULES, scope="files")
    assert result.findings == []


def test_a_kustomization_behind_a_link_is_not_read(lint, tmp_path) -> None:
    # The link may lead out of the scan root: the patch is then judged as a whole manifest.
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "kustomization.yaml").write_text(KUSTOMIZE_OVERLAY["deploy/overlays/prod/kustomization.yaml"])
    files = {"deploy/overlays/prod/memory.yaml": KUSTOMIZE_OVERLAY["deploy/overlays/prod/memory.yaml"]}
    lint(files, select=PATCH_RULES)
    (tmp_path / "deploy/overlays/prod/kustomization.yaml").symlink_to(outside / "kustomization.yaml")
    result = lint({}, select=["MX402"])
    assert [f.rule_id for f in result.findings] == ["MX402"]


def test_mx104_never_shows_the_value_in_any_format(lint) -> None:
    from mxlint.reporters import REPORTERS

    result = lint({"deploy/app.yaml": DEPLOYMENT.format(namespace="sync")}, select=["MX104"])
    assert [f.line for f in result.findings] == [14]
    for render in REPORTERS.values():
        assert "planted-fake-key" not in render(result)


def test_a_helm_template_is_skipped_with_a_notification(lint) -> None:
    template = DEPLOYMENT.format(namespace="{{ .Release.Namespace }}")
    result = lint({"chart/templates/app.yaml": template}, scope="files")
    assert result.findings == []
    assert [(n.path, n.line) for n in result.notifications] == [("chart/templates/app.yaml", 5)]


@pytest.mark.parametrize(
    "markup",
    [
        "          {{- toYaml .Values.resources | nindent 10 }}\n",
        '          {{ include "receiver.resources" . }}\n',
        "{{- if .Values.enabled }}\n",
        "{% if resources %}\n",
    ],
)
def test_markup_that_shapes_the_yaml_makes_a_template(lint, markup: str) -> None:
    lines = DEPLOYMENT.format(namespace="default").splitlines(keepends=True)
    template = "".join([*lines[:11], markup, *lines[11:]])
    result = lint({"chart/templates/app.yaml": template}, scope="files")
    assert result.findings == []
    assert [n.message for n in result.notifications] == [
        "skipped: a template (Helm/Jinja markup) is not plain YAML; render it to check it"
    ]


def test_markup_inside_strings_is_data_and_the_file_is_checked(lint) -> None:
    alerts = """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: receiver}
spec:
  groups:
    - name: receiver
      rules:
        - alert: ErrorRate
          expr: rate(errors_total[5m]) > 0.05
          annotations:
            summary: "Error rate {{ $value }} on {{ $labels.instance }}"
            description: Latency {{ $value }} over 5 s
            # {{ a comment }}
"""
    cronjob = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: export}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: export
              image: "ghcr.io/acme/export:{{ .Chart.AppVersion }}"
              args: ["--log-format={{.Time}}"]
"""
    result = lint({"k8s/alerts.yaml": alerts, "k8s/export.yaml": cronjob}, select=["MX603", "MX408"])
    assert result.notifications == []
    assert [(f.rule_id, f.path) for f in result.findings] == [("MX603", "k8s/export.yaml")]


def test_yaml_merge_keys_are_followed(lint) -> None:
    manifest = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  template:
    spec:
      containers:
        - &base
          name: worker
          image: ghcr.io/acme/worker:1
          resources: {limits: {cpu: 500m, memory: 256Mi}}
          securityContext: {runAsNonRoot: true}
        - <<: *base
          name: exporter
        - <<: [{name: recursive}, *base]
          resources: {limits: {cpu: 100m}}
"""
    result = lint({"deploy/app.yaml": manifest}, select=["MX603", "MX604"])
    assert [(f.rule_id, f.line) for f in result.findings] == [("MX604", 15)]
