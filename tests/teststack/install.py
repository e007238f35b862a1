"""Registers the test stack through entry points, as an installed third-party package would:
a ``teststack-0.0.dist-info`` folder (METADATA + entry_points.txt) on the path."""

from __future__ import annotations

from pathlib import Path

ENTRY_POINTS = """\
[dazzle.generators]
teststack.models = {package}.generators:ModelsGenerator
teststack.pages = {package}.generators:PagesGenerator
teststack.index = {package}.generators:IndexGenerator

[dazzle.hooks]
summary = {package}.hook:SummaryHook
"""


def write_dist_info(folder: Path, package: str = "tests.teststack") -> Path:
    """Write the dist-info into ``folder`` (to be put on sys.path / PYTHONPATH); the entry points
    name modules of ``package``."""
    info = Path(folder) / "teststack-0.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: teststack\nVersion: 0.0\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS.format(package=package))
    return Path(folder)
