"""The base of every IR node (``Node``: frozen, locations off equality, trusted construction),
source locations and literal values."""

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
        tests/syntax/test_ir_trusted.py re-validates everything the parser builds."""
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
