"""``indexed(spec)``: the spec with its lookups by name answered from dictionaries.

``AppSpec.surface_for`` and its siblings scan a whole collection on every call. A generator's
``slice`` asks them a few times per entity, which on a project of hundreds of entities made
slicing quadratic: most of the link task's time. A ``slice`` therefore wraps the spec once and
passes the wrapper to its helpers, which keep reading ``spec.entities``, ``spec.app`` and the rest
as before. Lookups give what ``AppSpec``'s do: the first match in definition order.
"""

from __future__ import annotations

from dazzle.ir import AppSpec, Entity, Experience, ForeignModel, Integration, Service, Surface


def _first_by_name(nodes) -> dict:
    found: dict = {}
    for node in nodes:
        found.setdefault(node.name, node)
    return found


class IndexedSpec:
    """A read-only view of an ``AppSpec`` with constant-time lookups (see the module's doc)."""

    def __init__(self, spec: AppSpec):
        self.spec = spec
        self._entities = _first_by_name(spec.entities)
        self._surfaces = _first_by_name(spec.surfaces)
        self._experiences = _first_by_name(spec.experiences)
        self._services = _first_by_name(spec.services)
        self._foreign_models = _first_by_name(spec.foreign_models)
        self._integrations = _first_by_name(spec.integrations)
        self._of_entity: dict[str | None, list[Surface]] = {}
        self._for: dict[tuple[str | None, str], Surface] = {}
        for surface in spec.surfaces:
            self._of_entity.setdefault(surface.entity, []).append(surface)
            self._for.setdefault((surface.entity, surface.mode), surface)

    def __getattr__(self, name: str):
        return getattr(self.spec, name)

    def entity(self, name: str) -> Entity | None:
        return self._entities.get(name)

    def surface(self, name: str) -> Surface | None:
        return self._surfaces.get(name)

    def surfaces_of(self, entity: str) -> tuple[Surface, ...]:
        return tuple(self._of_entity.get(entity, ()))

    def surface_for(self, entity: str, mode: str) -> Surface | None:
        return self._for.get((entity, mode))

    def experience(self, name: str) -> Experience | None:
        return self._experiences.get(name)

    def service(self, name: str) -> Service | None:
        return self._services.get(name)

    def foreign_model(self, name: str) -> ForeignModel | None:
        return self._foreign_models.get(name)

    def integration(self, name: str) -> Integration | None:
        return self._integrations.get(name)


def indexed(spec: AppSpec) -> AppSpec:
    """The spec with fast lookups (the same object when it already has them)."""
    return spec if isinstance(spec, IndexedSpec) else IndexedSpec(spec)  # type: ignore[return-value]
