"""The intermediate representation: immutable pydantic models of a DAZZLE project.

Every node carries an optional ``loc`` (and ``locs`` for sub-parts such as a ref target)
that points back at the source. Locations are metadata: they are excluded from JSON and from
equality, so a comment-only edit gives a byte-identical ``model_dump_json``.

Names in a linked ``AppSpec`` are global: names are unique per kind across the project, so a
qualified reference such as ``staff.Doctor`` is resolved to ``Doctor`` by the linker.
"""

# No `from __future__ import annotations`: real annotations spare pydantic a ForwardRef (and a
# compile) per field at import. Classes are defined before they are used.

from typing import Any, Literal, NamedTuple, Self

from pydantic import BaseModel, ConfigDict, Field

# Schemas are built on first validation or serialisation, not at import: `dazzle check` builds
# every node with ``trusted`` and never needs most of them.
_CONFIG = ConfigDict(frozen=True, extra="forbid", defer_build=True)
# The trusted constructors set what BaseModel.model_construct sets, without its per-field alias
# and default handling (which makes it slower than validating): the four slots of BaseModel,
# through their descriptors (half the cost of ``object.__setattr__``, which looks them up).
_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _restore(cls: type[BaseModel], data: dict, fields_set: set[str]) -> BaseModel:
    """A node with these field values and fields set, nothing validated: what ``trusted``,
    ``replace`` and unpickling (``Node.__reduce__``) build."""
    node = _new(cls)
    _set_dict(node, data)
    _set_fields_set(node, fields_set)
    _set_extra(node, None)
    _set_private(node, None)
    return node


class Location(NamedTuple):
    """A point in a source file (1-based line and column).

    A named tuple rather than a model: locations are metadata (kept off JSON and equality of
    the nodes), and a big spec has one per node and name, tens of thousands; a tuple is a
    quarter of a model's memory and far cheaper to make."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @classmethod
    def trusted(cls, file: str, line: int, column: int) -> "Location":
        """``Location(file, line, column)`` for the parser's hot path (no keyword handling)."""
        return _new_tuple(cls, (file, line, column))


_new_tuple = tuple.__new__


def _loc_field():
    return Field(default=None, exclude=True, repr=False)


def _locs_field():
    return Field(default_factory=dict, exclude=True, repr=False)


class Node(BaseModel):
    """Base of every IR node: frozen, strict about unknown keys, locations kept off equality."""

    model_config = _CONFIG

    loc: Location | None = _loc_field()
    # Locations of sub-parts by role, e.g. {"type": ..., "ref": ..., "default": ...}.
    locs: dict[str, Location] = _locs_field()

    def _semantic_key(self) -> tuple:
        return tuple(getattr(self, name) for name in type(self).model_fields if name not in ("loc", "locs"))

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return self._semantic_key() == other._semantic_key()  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._semantic_key()))

    def where(self, part: str | None = None) -> Location | None:
        """Location of ``part`` (a key of ``locs``) or of the node itself."""
        if part is not None and part in self.locs:
            return self.locs[part]
        return self.loc

    def __reduce__(self) -> tuple:
        # Unpickled by one call, not pydantic's __setstate__ with a state dict per node: the
        # link task loads every parsed module's pickle (a third less time on 500 entities).
        return _restore, (type(self), self.__dict__, self.__pydantic_fields_set__)

    def replace(self, **changes: Any) -> Self:
        """``model_copy(update=changes)``, the same node, at a tenth of the cost (generators'
        slices copy thousands of nodes with a part blanked). Like ``model_copy``, nothing is
        validated: ``changes`` must hold values of the fields' types."""
        blank, _ = _blanks.get(type(self)) or _blank(type(self))  # its keys: the fields
        unknown = changes.keys() - blank.keys()
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        return _restore(
            type(self), {**self.__dict__, **changes}, self.__pydantic_fields_set__ | changes.keys()
        )

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """``cls(**values)`` without validation, for the parser and the linker: validating
        cost more than all the rest of building the IR. The caller promises what validation
        would check: every required field given, no unknown one, every value of the exact
        type of its field (tuples, not lists; ``str``, not a lark ``Token``). The node is the
        one validation gives: same ``__dict__`` (in field order), same ``model_fields_set``.
        tests/test_ir_trusted.py re-validates everything the parser builds."""
        blank, factories = _blanks.get(cls) or _blank(cls)
        data = {**blank, **values}
        for name, factory in factories:
            if name not in values:
                data[name] = factory()
        return _restore(cls, data, _shared_fields_set(cls, tuple(values)))


# Nodes built from the same fields share one fields-set object: a big
# spec has ~70k nodes and a set each was a third of the IR's memory. A frozen node's set is
# never changed in place (pydantic copies it for model_copy), so sharing is safe; never mutate
# ``__pydantic_fields_set__`` of an IR node.
_fields_sets: dict[tuple, set[str]] = {}


def _shared_fields_set(cls: type, names: tuple[str, ...]) -> set[str]:
    found = _fields_sets.get((cls, names))
    if found is None:
        found = _fields_sets[(cls, names)] = set(names)
    return found


_blanks: dict[type, tuple[dict[str, Any], tuple]] = {}


def _blank(cls: type[BaseModel]) -> tuple[dict[str, Any], tuple]:
    """Every field of ``cls`` in order with its default (the defaults are immutable), and the
    fields whose default comes from a factory."""
    blank = {name: field.default for name, field in cls.model_fields.items()}
    factories = tuple(
        (name, field.default_factory) for name, field in cls.model_fields.items() if field.default_factory
    )
    _blanks[cls] = blank, factories
    return blank, factories


# ---------------------------------------------------------------- literals


class Value(Node):
    """A literal from the spec. ``number`` keeps its exact text (e.g. "12.50") in ``value``;
    ``word`` is a bare identifier used as a value (an enum member or a bare string default)."""

    kind: Literal["string", "int", "number", "bool", "word"]
    value: bool | int | str

    @property
    def python(self):
        """The value as Python: str, int, bool or decimal.Decimal for numbers."""
        if self.kind == "number":
            from decimal import Decimal

            return Decimal(str(self.value))
        return self.value

    @property
    def text(self) -> str:
        """The value as plain text (for enum members and string defaults)."""
        if self.kind == "bool":
            return "true" if self.value else "false"
        return str(self.value)


Options = tuple[tuple[str, Value], ...]
"""Free ``key=literal`` options, in source order."""


# ---------------------------------------------------------------- entities

TypeKind = Literal[
    "str", "text", "int", "decimal", "bool", "date", "datetime", "uuid", "email", "enum", "ref"
]


class FieldType(Node):
    kind: TypeKind
    max_length: int | None = None  # str(N)
    max_digits: int | None = None  # decimal(P, S)
    decimal_places: int | None = None
    enum_values: tuple[str, ...] = ()  # enum[a, b, c]
    ref: str | None = None  # ref <Entity>: as written in a module, global name once linked


class EntityField(Node):
    name: str
    type: FieldType
    required: bool = False
    optional: bool = False  # written explicitly
    pk: bool = False
    unique: bool = False
    unique_nullable: bool = False  # `unique?`
    auto_add: bool = False
    auto_update: bool = False
    default: Value | None = None
    was: str | None = None  # `was <old_name>`: a rename

    @property
    def is_required(self) -> bool:
        """Not nullable: `required` or `pk`."""
        return self.required or self.pk

    @property
    def has_default(self) -> bool:
        """The framework can fill it without user input."""
        return (
            self.default is not None
            or self.auto_add
            or self.auto_update
            or (self.pk and self.type.kind in ("uuid", "int"))
        )


class Constraint(Node):
    """A composite `unique a, b` or `index a, b` line of an entity."""

    kind: Literal["unique", "index"]
    fields: tuple[str, ...]


class Entity(Node):
    name: str
    title: str | None = None
    fields: tuple[EntityField, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name

    def field(self, name: str) -> EntityField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def pk(self) -> EntityField | None:
        return next((f for f in self.fields if f.pk), None)


# ---------------------------------------------------------------- surfaces


class SurfaceField(Node):
    name: str
    label: str | None = None
    options: Options = ()


class Section(Node):
    name: str
    title: str | None = None
    fields: tuple[SurfaceField, ...] = ()


class Outcome(Node):
    """Where an action leads: a surface, an experience (optionally at a step), or an
    integration action."""

    kind: Literal["surface", "experience", "integration"]
    target: str
    step: str | None = None  # experience ... step <step>
    action: str | None = None  # integration ... action <action>


class SurfaceAction(Node):
    name: str
    label: str | None = None
    trigger: Literal["submit", "click", "auto"]
    outcome: Outcome


SurfaceMode = Literal["list", "view", "create", "edit", "custom"]


class Surface(Node):
    name: str
    title: str | None = None
    entity: str | None = None  # `uses entity`
    mode: SurfaceMode
    sections: tuple[Section, ...] = ()
    actions: tuple[SurfaceAction, ...] = ()
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def fields(self) -> tuple[SurfaceField, ...]:
        """All fields of all sections, in order."""
        return tuple(f for s in self.sections for f in s.fields)


# ---------------------------------------------------------------- experiences


class Step(Node):
    name: str
    kind: Literal["surface", "process", "integration"]
    surface: str | None = None
    integration: str | None = None
    action: str | None = None
    on_success: str | None = None
    on_failure: str | None = None


class Experience(Node):
    name: str
    title: str | None = None
    start: str
    steps: tuple[Step, ...] = ()
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)


# ---------------------------------------------------------------- services and foreign models

AuthKind = Literal["oauth2_legacy", "oauth2_pkce", "jwt_static", "api_key_header", "api_key_query", "none"]


class Service(Node):
    name: str
    title: str | None = None
    spec_kind: Literal["url", "inline"]
    spec: str  # the URL, or the id of specs/<id>.json
    auth: AuthKind
    auth_options: Options = ()
    owner: str | None = None
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name


class ForeignConstraint(Node):
    kind: Literal["read_only", "event_driven", "batch_import"]
    options: Options = ()


class ForeignModel(Node):
    name: str
    service: str
    title: str | None = None
    key: tuple[str, ...] = ()
    constraints: tuple[ForeignConstraint, ...] = ()
    fields: tuple[EntityField, ...] = ()
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name

    def field(self, name: str) -> EntityField | None:
        return next((f for f in self.fields if f.name == name), None)


# ---------------------------------------------------------------- integrations


class Expression(Node):
    """A literal, or a dotted path rooted at form / entity / current_user / foreign."""

    literal: Value | None = None
    path: tuple[str, ...] = ()  # e.g. ("form", "vat_number")

    @property
    def root(self) -> str | None:
        return self.path[0] if self.path else None


class Mapping(Node):
    """`<target> <- <expression>`."""

    target: str
    source: Expression


class ResponseMap(Node):
    foreign: str
    entity: str
    fields: tuple[Mapping, ...] = ()


class IntegrationAction(Node):
    name: str
    surface: str  # when surface <surface> submitted
    service: str  # call <service>.<operation>
    operation: str
    params: tuple[Mapping, ...] = ()
    response: ResponseMap | None = None


class MatchPair(Node):
    foreign_field: str
    entity_field: str


class Sync(Node):
    name: str
    mode: Literal["scheduled", "event_driven"]
    schedule: str | None = None
    service: str
    operation: str
    foreign: str
    entity: str
    match: tuple[MatchPair, ...] = ()


class Integration(Node):
    name: str
    title: str | None = None
    services: tuple[str, ...] = ()
    foreign_models: tuple[str, ...] = ()
    actions: tuple[IntegrationAction, ...] = ()
    syncs: tuple[Sync, ...] = ()
    module: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name

    def action(self, name: str) -> IntegrationAction | None:
        return next((a for a in self.actions if a.name == name), None)


# ---------------------------------------------------------------- modules and the app


class Use(Node):
    module: str
    alias: str | None = None


class App(Node):
    name: str
    title: str | None = None

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
