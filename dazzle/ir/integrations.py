"""Services, foreign models and integrations (actions and syncs)."""

# No `from __future__ import annotations`: real annotations spare pydantic a ForwardRef (and a
# compile) per field at import. Classes are defined before they are used.

from typing import Literal

from dazzle.ir.base import Node, Options, Value
from dazzle.ir.entities import EntityField

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
