"""Modules, the project configuration (``dazzle.toml``) and the linked ``AppSpec``."""

# No `from __future__ import annotations`: real annotations spare pydantic a ForwardRef (and a
# compile) per field at import. Classes are defined before they are used.

from pydantic import Field

from dazzle.ir.access import Role
from dazzle.ir.base import Node
from dazzle.ir.entities import Entity
from dazzle.ir.integrations import ForeignModel, Integration, Service
from dazzle.ir.surfaces import Experience, Surface


class Use(Node):
    module: str
    alias: str | None = None


class App(Node):
    name: str
    title: str | None = None
    roles: tuple[Role, ...] = ()  # `roles:` in the app's block (0.2)

    @property
    def label(self) -> str:
        return self.title or self.name


class Module(Node):
    """One parsed .dsl file, before linking: names are as written."""

    name: str
    file: str  # path relative to the project folder, with `/`
    declared: bool = False  # the file had a `module` line
    uses: tuple[Use, ...] = ()
    app: App | None = None
    entities: tuple[Entity, ...] = ()
    surfaces: tuple[Surface, ...] = ()
    experiences: tuple[Experience, ...] = ()
    services: tuple[Service, ...] = ()
    foreign_models: tuple[ForeignModel, ...] = ()
    integrations: tuple[Integration, ...] = ()


class HooksConfig(Node):
    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()


class BuildConfig(Node):
    stacks: tuple[str, ...] = ("django",)
    output: str = "build"
    login_required: bool = True


class ProjectConfig(Node):
    """dazzle.toml, with defaults filled in."""

    name: str | None = None
    version: str | None = None
    root: str | None = None
    paths: tuple[str, ...] = ("./dsl",)
    # Factories, not instances: an instance default would build the schemas at import.
    build: BuildConfig = Field(default_factory=BuildConfig)
    hooks: HooksConfig = Field(default_factory=HooksConfig)


class AppSpec(Node):
    """A linked, validated project: what every generator reads a slice of.

    All names are global. Collections keep the order of files (path order) and of definitions
    inside each file."""

    name: str  # project name: dazzle.toml [project] name, else the app name
    version: str | None = None
    app: App
    config: ProjectConfig = Field(default_factory=ProjectConfig)
    modules: tuple[str, ...] = ()  # module names in path order
    entities: tuple[Entity, ...] = ()
    surfaces: tuple[Surface, ...] = ()
    experiences: tuple[Experience, ...] = ()
    services: tuple[Service, ...] = ()
    foreign_models: tuple[ForeignModel, ...] = ()
    integrations: tuple[Integration, ...] = ()

    def entity(self, name: str) -> Entity | None:
        return next((e for e in self.entities if e.name == name), None)

    def surface(self, name: str) -> Surface | None:
        return next((s for s in self.surfaces if s.name == name), None)

    def surfaces_of(self, entity: str) -> tuple[Surface, ...]:
        return tuple(s for s in self.surfaces if s.entity == entity)

    def surface_for(self, entity: str, mode: str) -> Surface | None:
        return next((s for s in self.surfaces if s.entity == entity and s.mode == mode), None)

    def experience(self, name: str) -> Experience | None:
        return next((e for e in self.experiences if e.name == name), None)

    def service(self, name: str) -> Service | None:
        return next((s for s in self.services if s.name == name), None)

    def foreign_model(self, name: str) -> ForeignModel | None:
        return next((f for f in self.foreign_models if f.name == name), None)

    def integration(self, name: str) -> Integration | None:
        return next((i for i in self.integrations if i.name == name), None)
