"""The intermediate representation: immutable pydantic models of a DAZZLE project.

Every node carries an optional ``loc`` (and ``locs`` for sub-parts such as a ref target)
that points back at the source. Locations are metadata: they are excluded from JSON and from
equality, so a comment-only edit gives a byte-identical ``model_dump_json``.

Names in a linked ``AppSpec`` are global: names are unique per kind across the project, so a
qualified reference such as ``staff.Doctor`` is resolved to ``Doctor`` by the linker.

The nodes live in one module per part of the language (``base``, ``entities``, ``surfaces``,
``integrations``, ``spec``) and are all importable from here; ``diagnostics`` holds the errors
and warnings that point into the source.
"""

from dazzle.ir.access import OPERATIONS, Condition, ConditionKind, Operation, PermitRule, Role
from dazzle.ir.base import Location, Node, Options, Value
from dazzle.ir.entities import Constraint, Entity, EntityField, FieldType, TypeKind
from dazzle.ir.integrations import (
    AuthKind,
    Expression,
    ForeignConstraint,
    ForeignModel,
    Integration,
    IntegrationAction,
    Mapping,
    MatchPair,
    ResponseMap,
    Service,
    Sync,
)
from dazzle.ir.spec import App, AppSpec, BuildConfig, HooksConfig, Module, ProjectConfig, Use
from dazzle.ir.surfaces import (
    FILTER_KINDS,
    Experience,
    ListFilter,
    Outcome,
    Section,
    SortKey,
    Step,
    Surface,
    SurfaceAction,
    SurfaceField,
    SurfaceMode,
)

__all__ = [
    "OPERATIONS",
    "Condition",
    "ConditionKind",
    "Operation",
    "PermitRule",
    "Role",
    "App",
    "AppSpec",
    "AuthKind",
    "BuildConfig",
    "Constraint",
    "Entity",
    "EntityField",
    "Experience",
    "Expression",
    "FieldType",
    "ForeignConstraint",
    "ForeignModel",
    "HooksConfig",
    "Integration",
    "IntegrationAction",
    "Location",
    "Mapping",
    "MatchPair",
    "Module",
    "Node",
    "Options",
    "Outcome",
    "ProjectConfig",
    "ResponseMap",
    "Section",
    "Service",
    "Step",
    "FILTER_KINDS",
    "ListFilter",
    "SortKey",
    "Surface",
    "SurfaceAction",
    "SurfaceField",
    "SurfaceMode",
    "Sync",
    "TypeKind",
    "Use",
    "Value",
]
