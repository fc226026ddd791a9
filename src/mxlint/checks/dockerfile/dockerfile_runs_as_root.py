"""MX602: the final stage of a Dockerfile runs as root (no USER, or the last USER is root)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mxlint.analysis.paths import is_dev_image_path
from mxlint.checks.base import DockerfileRule, rule
from mxlint.config import Settings
from mxlint.sources.dockerfile import Dockerfile, Stage, assignments, expand, words

# Images whose default user is not root: distroless (and similar) tags such as `:nonroot` and
# `:debug-nonroot`. Any other image is assumed to keep Docker's default, root.
_NONROOT_TAG = re.compile(r":[\w.-]*nonroot$")
# Chainguard's images run as `nonroot` (UID 65532) by default, `-dev` variants too; wolfi-base, a bare
# base for building images, runs as root.
_CHAINGUARD = re.compile(r"^cgr\.dev/chainguard/(?!wolfi-base(?::|$))")


def _default_user(image: str) -> str:
    reference = image.split("@")[0]
    return "nonroot" if _NONROOT_TAG.search(reference) or _CHAINGUARD.match(reference) else "root"


@dataclass(frozen=True)
class User:
    name: str | None  # after substitution; None when a variable's value is unknown
    written: str  # as written after USER, or the image for an image default
    line: int  # the USER line, or the FROM line of the stage whose image sets the default
    stage: Stage  # where it was set
    from_image: bool = False
    substituted: bool = False  # the USER value names a variable

    @property
    def is_root(self) -> bool:
        if self.name is None:
            return False  # unknown: do not guess
        user = self.name.split(":", 1)[0]
        # Linux user names are case-sensitive; Windows' ContainerAdministrator (root's equivalent) is not.
        return (
            user == "root" or (user.isdigit() and int(user) == 0) or user.lower() == "containeradministrator"
        )


def stage_user(dockerfile: Dockerfile, stage: Stage) -> tuple[User, dict[str, str | None]]:
    """The user a stage ends with and its ENV (inherited by stages built FROM it; ARGs are not)."""
    parent = dockerfile.parent(stage)
    if parent is not None:
        user, env = stage_user(dockerfile, parent)
        env = dict(env)
    else:
        image = expand(stage.base, dockerfile.global_args).value  # None or "": a --build-arg, unknown
        default = _default_user(image) if image else None
        user, env = User(default, image or stage.base, stage.line, stage, from_image=True), {}
    args: dict[str, str | None] = {}
    for instruction in stage.instructions:
        scope = {**args, **env}  # ENV wins over an ARG of the same name; pairs on one line see the old scope
        if instruction.keyword in ("ARG", "ENV"):
            target = args if instruction.keyword == "ARG" else env
            for name, raw in assignments(instruction):
                if raw is None:  # a bare ARG: a global ARG's default, re-declared, or unset
                    target[name] = dockerfile.global_args.get(name)
                elif (value := expand(raw, scope).value) is not None:
                    target[name] = value
                else:
                    target.pop(name, None)  # depends on a variable we cannot know: unknown
        elif instruction.keyword == "USER" and (parts := words(instruction.value)):
            expansion = expand(parts[0], scope)
            user = User(
                expansion.value, parts[0], instruction.line, stage, substituted=bool(expansion.references)
            )
    return user, env


@rule("MX602")
class DockerfileRunsAsRoot(DockerfileRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_dev_image_path(relpath)  # a dev container or test image is never deployed

    def check(self) -> None:
        dockerfile = self.context.dockerfile
        if not dockerfile.stages:
            return
        final = dockerfile.stages[-1]
        user, _ = stage_user(dockerfile, final)
        if not user.is_root:
            return
        if user.stage is final and not user.from_image:
            # Never echo `${X}` itself: it reads like a message placeholder. Say what it resolves to.
            how = "resolves through a variable to" if user.substituted else "is"
            self.report(user.line, reason=f"its last `USER` {how} `{user.name}`")
        elif user.from_image:
            via = "" if user.stage is final else f" (through stage `{user.stage.alias}`)"
            self.report(final.line, reason=f"no `USER`, and `{user.written}`{via} runs as root by default")
        else:
            self.report(
                final.line,
                reason=f"no `USER` of its own, and it inherits `{user.name}` from stage "
                f"`{user.stage.alias}` (line {user.line})",
            )
