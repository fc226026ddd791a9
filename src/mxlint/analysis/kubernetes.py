"""The workload model the Kubernetes and Cloud Run rules share: which documents run containers, where
their pod spec is, which containers are long-running, and the effective security context.

Only known workload kinds of known API groups are models: a ``List``, a Kustomization (which has
``apiVersion`` and ``kind`` but deploys nothing), a CRD instance or a non-mapping document is never a
workload, so no container rule ever reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import yaml

from mxlint.sources.yaml import column, get, items, key_node, line, path, scalar, value_of

_CORE = ("v1",)
# kind -> (API groups it is served from, keys from the document to the pod spec's parent template)
_POD_TEMPLATE = ("spec", "template")
_WORKLOAD_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Pod": (_CORE, ()),
    "Deployment": (("apps", "extensions"), _POD_TEMPLATE),
    "StatefulSet": (("apps",), _POD_TEMPLATE),
    "DaemonSet": (("apps", "extensions"), _POD_TEMPLATE),
    "ReplicaSet": (("apps", "extensions"), _POD_TEMPLATE),
    "ReplicationController": (_CORE, _POD_TEMPLATE),
    "Job": (("batch",), _POD_TEMPLATE),
    "CronJob": (("batch",), ("spec", "jobTemplate", "spec", "template")),
}
KNATIVE_GROUP = "serving.knative.dev"  # Knative Serving and Cloud Run's service YAML
_BATCH_KINDS = frozenset({"Job", "CronJob"})


@dataclass(frozen=True)
class Container:
    node: yaml.MappingNode
    name: str  # its name, else its image, else its position ("#2")
    init: bool  # an entry of initContainers (run to completion before the app containers)
    line: int  # its ``name:`` key, else the first line of the entry
    column: int

    @property
    def label(self) -> str:
        return f"init container `{self.name}`" if self.init else f"container `{self.name}`"


@dataclass(frozen=True)
class Workload:
    document: yaml.MappingNode
    kind: str
    api_version: str
    name: str | None
    namespace: str | None
    line: int  # the object's ``metadata.name`` key, else its ``kind`` key
    template: yaml.Node | None  # the pod template (metadata + spec); the document itself for a Pod
    pod_spec: yaml.MappingNode
    containers: tuple[Container, ...]  # app containers then init containers, in file order each

    @property
    def knative(self) -> bool:
        return self.kind == "Service"

    @property
    def kind_label(self) -> str:
        return "Knative/Cloud Run Service" if self.knative else self.kind

    @property
    def long_running(self) -> bool:
        """Runs until stopped: not a Job or CronJob, nor a bare Pod that is not restarted."""
        if self.kind in _BATCH_KINDS:
            return False
        if self.kind == "Pod":
            return scalar(get(self.pod_spec, "restartPolicy")) in (None, "Always")
        return True

    @property
    def app_containers(self) -> tuple[Container, ...]:
        return tuple(container for container in self.containers if not container.init)

    @property
    def pod_labels(self) -> dict[str, str]:
        return string_map(path(self.template, "metadata", "labels"))


def api_group(api_version: str) -> str:
    """``apps/v1`` -> ``apps``; the core group (``v1``) is ``""``."""
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def objects(documents: Iterable[yaml.Node]) -> Iterator[tuple[yaml.MappingNode, str, str]]:
    """(document, apiVersion, kind) of every document that is a Kubernetes object."""
    for document in documents:
        api_version, kind = scalar(get(document, "apiVersion")), scalar(get(document, "kind"))
        if isinstance(document, yaml.MappingNode) and api_version and kind:
            yield document, api_version, kind


def workloads(documents: Iterable[yaml.Node]) -> list[Workload]:
    found = []
    for document, api_version, kind in objects(documents):
        group = api_group(api_version)
        if kind == "Service" and group == KNATIVE_GROUP:
            keys: tuple[str, ...] = _POD_TEMPLATE
        elif kind in _WORKLOAD_KINDS and (group or "v1") in _WORKLOAD_KINDS[kind][0]:
            keys = _WORKLOAD_KINDS[kind][1]
        else:
            continue
        template = path(document, *keys) if keys else document
        pod_spec = get(template, "spec")
        if not isinstance(pod_spec, yaml.MappingNode):
            continue
        metadata = get(document, "metadata")
        anchor = key_node(metadata, "name") or key_node(document, "kind")
        found.append(
            Workload(
                document=document,
                kind=kind,
                api_version=api_version,
                name=scalar(get(metadata, "name")),
                namespace=scalar(get(metadata, "namespace")),
                line=line(anchor) if anchor is not None else line(document),
                template=template,
                pod_spec=pod_spec,
                containers=(*_containers(pod_spec, "containers"), *_containers(pod_spec, "initContainers")),
            )
        )
    return found


def _containers(pod_spec: yaml.Node, key: str) -> Iterator[Container]:
    entries = get(pod_spec, key)
    if not isinstance(entries, yaml.SequenceNode):
        return
    for number, entry in enumerate(entries.value, 1):
        if isinstance(entry, yaml.MappingNode):
            name_key = key_node(entry, "name")
            # Cloud Run containers often have no name: the image says which one is meant
            name = scalar(get(entry, "name")) or scalar(get(entry, "image")) or f"#{number}"
            anchor = name_key if name_key is not None else entry
            yield Container(entry, name, key == "initContainers", line(anchor), column(anchor))


def string_map(node: yaml.Node | None) -> dict[str, str]:
    """A mapping of scalars as a dict (labels, selectors, annotations); other entries are dropped."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        key.value: value.value
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
    }


_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"


def boolean(node: yaml.Node | None) -> bool | None:
    """A YAML boolean (``true``, ``false``, YAML 1.1 ``yes``/``on``...), None when unset or not one."""
    if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL_TAG:
        return node.value.lower() in ("true", "yes", "on")
    return None


def integer(node: yaml.Node | None, *, quoted: bool = False) -> int | None:
    """A YAML integer, None when unset or not one; ``quoted`` also accepts ``"1"`` (annotations)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == _INT_TAG or (quoted and node.tag == "tag:yaml.org,2002:str"):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class RunAs:
    """A container's effective ``runAsNonRoot``/``runAsUser``: its own securityContext value when set,
    else the pod's (Kubernetes precedence)."""

    non_root: bool | None
    user: int | None
    user_set: bool  # runAsUser is present somewhere, even if its value is not a known integer
    line: int  # where to report: the effective runAsUser: 0, else the container
    column: int

    @property
    def may_be_root(self) -> bool:
        if self.user == 0:
            return True  # runs as root; with runAsNonRoot: true the kubelet refuses to start it
        if self.user is not None or self.user_set:
            return False  # a non-zero UID, or one we cannot read (a template): not judged
        return self.non_root is not True


def run_as(workload: Workload, container: Container) -> RunAs:
    pod, own = get(workload.pod_spec, "securityContext"), get(container.node, "securityContext")
    non_root_node = value_of(own, "runAsNonRoot") or value_of(pod, "runAsNonRoot")
    user_node = value_of(own, "runAsUser") or value_of(pod, "runAsUser")
    user = integer(user_node)
    return RunAs(
        non_root=boolean(non_root_node),
        user=user,
        user_set=user_node is not None,
        line=line(user_node) if user == 0 and user_node is not None else container.line,
        column=column(user_node) if user == 0 and user_node is not None else container.column,
    )


def is_windows(workload: Workload) -> bool:
    """A Windows pod: ``runAsNonRoot``/``runAsUser`` do not apply (``windowsOptions`` do)."""
    return scalar(path(workload.pod_spec, "os", "name")) == "windows"


# Container port names that say HTTP (Istio's protocol-prefix convention, and the usual names for a
# web or webhook listener). An unnamed port says nothing about requests, and ``http-metrics`` or
# ``http-health`` serve the platform, not clients.
_HTTP_PORT_NAME = re.compile(r"^(https?|http2|h2c|web|webhooks?)([-.].*)?$|[-.](https?|web|webhooks?)$", re.I)
_OPERATIONS_PORT_NAME = re.compile(r"metric|prom|monitor|health|probe|admin|debug|pprof", re.I)


def operations_port(port: yaml.Node) -> bool:
    """A port (container or Service) named for metrics, health or admin traffic, by name or target."""
    names = (scalar(get(port, "name")), scalar(get(port, "targetPort")))
    return any(name and _OPERATIONS_PORT_NAME.search(name) for name in names)


def serves_http(workload: Workload) -> bool:
    """Whether an app container declares a port named for HTTP or webhooks."""
    names = [
        scalar(get(port, "name")) or ""
        for container in workload.app_containers
        for port in items(get(container.node, "ports"))
    ]
    return any(_HTTP_PORT_NAME.search(name) and not _OPERATIONS_PORT_NAME.search(name) for name in names)


# Knative and Cloud Run scale bounds (strings in annotations).
MIN_SCALE_KEYS = ("autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/minScale")
SERVICE_MIN_SCALE_KEY = "run.googleapis.com/minScale"  # Cloud Run service-level minimum
_HPA_CLASS = "hpa.autoscaling.knative.dev"  # Knative's HPA class cannot scale to zero (default min 1)


@dataclass(frozen=True)
class MinScale:
    """A Knative/Cloud Run service's minimum instances: ``value`` None when it cannot be read."""

    value: int | None
    explicit: bool  # set by an annotation (else the platform default applies)
    line: int
    column: int


def knative_min_scale(workload: Workload) -> MinScale:
    """The larger of the revision-level (``autoscaling.knative.dev/min-scale``) and the Cloud Run
    service-level (``run.googleapis.com/minScale``) minimum; unset, Cloud Run and Knative's default
    autoscaler (KPA, scale to zero on) use 0, Knative's HPA class uses 1."""
    revision = path(workload.template, "metadata", "annotations")
    service = path(workload.document, "metadata", "annotations")
    if scalar(get(service, "run.googleapis.com/scalingMode")) == "manual":
        count = get(service, "run.googleapis.com/manualInstanceCount")
        at = count or key_node(workload.document, "kind") or workload.document
        return MinScale(integer(count, quoted=True), True, line(at), column(at))
    settings = [get(revision, key) for key in MIN_SCALE_KEYS] + [get(service, SERVICE_MIN_SCALE_KEY)]
    present = [node for node in settings if node is not None]
    if present:
        readings = [(integer(node, quoted=True), node) for node in present]
        known = [(value, node) for value, node in readings if value is not None]
        if len(known) < len(readings):
            return MinScale(None, True, line(present[0]), column(present[0]))  # a template: not judged
        value, node = max(known, key=lambda reading: reading[0])
        return MinScale(value, True, line(node), column(node))
    default = 1 if scalar(get(revision, "autoscaling.knative.dev/class")) == _HPA_CLASS else 0
    anchor = key_node(workload.template, "metadata") or key_node(get(workload.document, "spec"), "template")
    at = anchor if anchor is not None else workload.document
    return MinScale(default, False, line(at), column(at))
