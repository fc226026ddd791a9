"""MX601: an image built in one stage ships the toolchain that built it."""

from __future__ import annotations

from mxlint.analysis.paths import is_dev_image_path
from mxlint.checks.base import DockerfileRule, rule
from mxlint.config import Settings
from mxlint.sources.dockerfile import expand


@rule("MX601")
class DockerfileSingleStage(DockerfileRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_dev_image_path(relpath)  # a dev container or test image is never deployed

    def check(self) -> None:
        dockerfile = self.context.dockerfile
        if not dockerfile.stages:
            return  # no FROM: a fragment or a template, not a build file
        final = dockerfile.stages[-1]
        chain = [final]
        while (parent := dockerfile.parent(chain[-1])) is not None:
            chain.append(parent)
        if len(chain) < len(dockerfile.stages):
            return  # some stage is left behind: a real build stage
        # Stages that run nothing only copy artifacts built elsewhere: no toolchain to leave behind.
        if not any(i.keyword == "RUN" for stage in chain for i in stage.instructions):
            return
        if len(chain) == 1:
            image = expand(final.base, dockerfile.global_args).value
            build = f"single-stage build from `{image}`" if image else "single-stage build"
        else:
            names = " -> ".join(f"`{stage.alias}`" for stage in reversed(chain[1:]))
            build = f"every stage ({names} -> final) is part of the final image"
        self.report(final.line, build=build)
