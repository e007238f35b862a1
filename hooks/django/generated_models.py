"""What the Django hooks know of the generated app's models, and where they learn it.

The ``models`` generator decides the app package, the model classes, their field attributes and
the old attributes behind ``was`` renames, and hands them on in its artifact (its module's doc
lists the keys). A hook that needs them declares ``reads = (MODELS,)``: it finds them in
``ctx.artifacts`` when it runs, and the artifact file is a file_dep of its task, so a change to
any of them runs it again — never an import of the generators' code.

A hook declares its inputs before any artifact is read, so ``models_modules`` finds the models
module on disk instead, where Django looks for an app's models: ``<package>/models.py`` at the
top of the output folder. A hand edit of the file then still runs the hooks that read it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dazzle.ir import AppSpec, Entity, EntityField, Location
from dazzle.plugins import HookContext, PendingCommit

MODELS = "models"  # the generator whose artifact these hooks read


def models_modules(output_dir: Path, pending: PendingCommit | None = None) -> list[Path]:
    """The ``models.py`` of every package at the top of ``output_dir`` (the generated app's, and
    any app the user added beside it) — with ``pending``, also those the pending commit is about
    to write (on a first build, the output folder is still empty)."""
    found = {p for p in output_dir.glob("*/models.py") if p.is_file()}
    if pending is not None:
        found |= {
            output_dir / rel
            for rel in pending.changed()
            if rel.count("/") == 1 and rel.endswith("/models.py")
        }
    return sorted(found)


def models_artifact(ctx: HookContext) -> dict[str, Any]:
    """The models generator's artifact; the engine hands it to every hook that reads it."""
    found = ctx.artifacts.get(MODELS)
    if not found or "app" not in found:
        raise LookupError(
            f"the {MODELS!r} generator handed on no app package and model names "
            "(is an older or another Django models generator installed?)"
        )
    return found


def app_package(ctx: HookContext) -> str:
    return models_artifact(ctx)["app"]


def app_folder(ctx: HookContext) -> Path:
    return ctx.output_dir / app_package(ctx)


def locate(models: dict[str, Any], model: str, attr: str) -> tuple[str | None, str | None]:
    """(entity name, field name) of a model class and attribute as Django reports them (any
    case); None for what the artifact does not know."""
    for entity, klass in models["classes"].items():
        if klass.lower() == model.lower():
            for name, field_attr in models["fields"].get(entity, {}).items():
                if field_attr.lower() == attr.lower():
                    return entity, name
            return entity, None
    return None, None


def spec_field(
    spec: AppSpec, models: dict[str, Any], model: str, attr: str = ""
) -> tuple[Entity | None, EntityField | None]:
    """The spec's entity and field (with their source locations) behind a model class and
    attribute as Django reports them; None for what the spec does not hold."""
    entity_name, field_name = locate(models, model, attr)
    entity = spec.entity(entity_name) if entity_name is not None else None
    if entity is None:
        return None, None
    return entity, entity.field(field_name) if field_name is not None else None


def spec_location(
    entity: Entity | None, field: EntityField | None, part: str | None = None
) -> Location | None:
    """Where a message about them points: the field (its ``part``, e.g. ``type``), else the entity."""
    if field is not None:
        return field.where(part)
    return entity.loc if entity is not None else None


def access_modules(output_dir: Path, pending: PendingCommit | None = None) -> list[Path]:
    """The ``access.py`` beside each models module (``models_modules``), whose ``ROLES`` the
    script reads: those on disk, or with ``pending``, those the commit will leave."""
    found = []
    for models in models_modules(output_dir, pending):
        path = models.with_name("access.py")
        if pending is None:
            present = path.is_file()
        else:
            present = pending.content(path.relative_to(output_dir).as_posix()) is not None
        if present:
            found.append(path)
    return found
