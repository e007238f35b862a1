"""What the generated access tests expect (used by the ``tests`` generator): for every page an
entity's surfaces give it, each kind of person, and a record of their own or someone else's,
the answer the spec's rules call for (REFERENCE §Access control).

The expectations are worked out here from the spec's conditions, independently of the
generated ``access.py`` that enforces them, so the tests check the app against the spec rather
than against itself. People: a visitor (not signed in), a signed-in ``member`` with no role,
one member of each role, and a superuser. Records: ``mine`` has every ``user`` field the rules
compare set to the person, ``other``'s to somebody else.

Answers: ``ok`` (the page opens, the list shows the record, the delete happens), ``hidden``
(signed in and allowed the operation, but not on that record: "not found", absent from the
list), ``forbidden`` (403), ``login`` (a visitor is sent to sign in).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from dazzle.ir import AppSpec, Condition, Entity, Surface
from generators.django import naming
from generators.django.wiring import PAGE_OPERATIONS, SURFACE_OPERATIONS, surface_permits

VISITOR, MEMBER, SUPERUSER = "visitor", "member", "superuser"


@dataclass(frozen=True)
class Person:
    name: str
    signed_in: bool = True
    roles: frozenset[str] = frozenset()
    superuser: bool = False


def decide(condition: Condition, person: Person) -> bool | str:
    """True (every record), False (none), or "rows" (the records whose user fields are the
    person's): what ``condition`` lets ``person`` do."""
    if person.superuser:
        return True
    kind = condition.kind
    if kind == "anyone":
        return True
    if kind in ("signed_in", "role", "nobody"):
        return person.signed_in and (kind == "signed_in" or condition.name in person.roles)
    if kind == "field":
        return "rows" if person.signed_in else False
    found = [decide(part, person) for part in condition.parts]
    if kind == "and":
        return False if False in found else (True if all(f is True for f in found) else "rows")
    return True if True in found else ("rows" if "rows" in found else False)


def holds(condition: Condition, person: Person, mine: bool) -> bool:
    """Whether ``condition`` lets ``person`` touch a record that is theirs (``mine``) or not."""
    if person.superuser:
        return True
    kind = condition.kind
    if kind == "field":
        return person.signed_in and mine
    if kind == "and":
        return all(holds(part, person, mine) for part in condition.parts)
    if kind == "or":
        return any(holds(part, person, mine) for part in condition.parts)
    return decide(condition, person) is True


def both(first: Condition, second: Condition | None) -> Condition:
    return first if second is None else Condition.trusted(kind="and", parts=(first, second))


class AccessCase(BaseModel):
    """The expectations for one entity's pages, as Python-ready data."""

    model: str
    maker: str
    owner_fields: tuple[str, ...]  # attributes of the user fields the rules compare
    urls: dict[str, str]  # operation → URL name of its page
    checks: tuple[tuple[str, str, str, str], ...]  # (person, operation, "mine"|"other", answer)
    links: tuple[tuple[str, str, str, bool], ...]  # (person, "mine"|"other", operation, shown)
    admin: tuple[tuple[str, bool], ...]  # (person as staff, may open the admin list)


class AccessPlan(BaseModel):
    roles: tuple[str, ...]
    cases: tuple[AccessCase, ...] = ()
    customs: tuple[tuple[str, str, str], ...] = ()  # (person, custom page URL name, answer)


def people(spec: AppSpec) -> list[Person]:
    return [
        Person(VISITOR, signed_in=False),
        Person(MEMBER),
        *(Person(role.name, roles=frozenset({role.name})) for role in spec.app.roles),
        Person(SUPERUSER, superuser=True),
    ]


def answer(condition: Condition, person: Person, mine: bool) -> str:
    decided = decide(condition, person)
    if decided is False:
        return "forbidden" if person.signed_in else "login"
    if decided is True or holds(condition, person, mine):
        return "ok"
    return "hidden"


def guarded(spec: AppSpec) -> bool:
    """Whether the spec has rules at all (else the 0.1 tests say everything)."""
    return any(e.permit is not None for e in spec.entities) or any(
        s.permit is not None for s in spec.surfaces
    )


def default_rule(spec: AppSpec) -> Condition:
    return Condition.trusted(kind="signed_in" if spec.config.build.login_required else "anyone")


def page_rule(spec: AppSpec, entity: Entity, operation: str, page: bool = True) -> Condition:
    """Who may do ``operation`` on ``entity``: its rule (or the default without a ``permit``
    block) and, on a page (``page``), the ``permit`` line of the surface that does it."""
    found = entity.rule(operation) or default_rule(spec)
    return both(found, surface_permits(spec, entity.name).get(operation)) if page else found


def entity_case(spec: AppSpec, entity: Entity, everyone: list[Person]) -> AccessCase | None:
    pages = naming.entity_pages(s.mode for s in spec.surfaces_of(entity.name))
    if not pages or (entity.permit is None and not surface_permits(spec, entity.name)):
        return None
    names = naming.app_names(spec).entities[entity.name]

    def rule(operation: str, page: bool = True) -> Condition:
        return page_rule(spec, entity, operation, page)

    operations = [PAGE_OPERATIONS[p] for p in pages]
    attrs = naming.field_attrs(entity)
    compared = {f for op in operations for f in rule(op).fields}
    owner_fields = tuple(attrs[f] for f in sorted(compared) if f in attrs)
    whose = ("mine", "other") if owner_fields else ("other",)
    checks, links = [], []
    for person in everyone:
        for operation in operations:
            for record in whose if person.signed_in else ("other",):
                checks.append(
                    (person.name, operation, record, answer(rule(operation), person, record == "mine"))
                )
        if not person.signed_in:
            continue
        for operation in ("list", "create"):  # the home page's links
            if operation in operations:
                shown = decide(rule(operation), person) is not False
                links.append((person.name, "other", operation, shown))
        if "read" in operations:  # the record's page: its Edit and Delete buttons
            for record in whose:
                if answer(rule("read"), person, record == "mine") != "ok":
                    continue
                for operation in ("update", "delete"):
                    if operation in operations:
                        shown = answer(rule(operation), person, record == "mine") == "ok"
                        links.append((person.name, record, operation, shown))
    admin = tuple(
        (p.name, any(decide(rule(op, page=False), p) is not False for op in ("list", "read", "update")))
        for p in everyone
        if p.signed_in and not p.superuser
    )
    return AccessCase(
        model=names.model,
        maker=names.maker,
        owner_fields=owner_fields,
        urls={PAGE_OPERATIONS[p]: names.url(p) for p in pages},
        checks=tuple(checks),
        links=tuple(links),
        admin=admin if entity.permit is not None else (),
    )


def access_plan(spec: AppSpec) -> AccessPlan | None:
    """The access tests' expectations, or None for a spec without rules."""
    if not guarded(spec):
        return None
    everyone = people(spec)
    cases = (entity_case(spec, e, everyone) for e in spec.entities)
    customs = tuple(  # a custom page has only its own `permit`
        (p.name, naming.app_names(spec).customs[s.name].url, answer(s.permit, p, False))
        for s in spec.surfaces
        if s.mode == "custom" and s.permit is not None
        for p in everyone
    )
    return AccessPlan(
        roles=tuple(r.name for r in spec.app.roles),
        cases=tuple(c for c in cases if c is not None),
        customs=customs,
    )


def visitor_pages(spec: AppSpec) -> frozenset[str]:
    """URL names of the pages someone not signed in may open (the home page only without
    ``login_required``)."""
    names = naming.app_names(spec)
    visitor, fallback = Person(VISITOR, signed_in=False), default_rule(spec)
    found = set() if spec.config.build.login_required else {"home"}
    for entity in spec.entities:
        for page in naming.entity_pages(s.mode for s in spec.surfaces_of(entity.name)):
            if decide(page_rule(spec, entity, PAGE_OPERATIONS[page]), visitor) is not False:
                found.add(names.entities[entity.name].url(page))
    for s in spec.surfaces:
        if s.mode == "custom" and decide(s.permit or fallback, visitor) is not False:
            found.add(names.customs[s.name].url)
    return frozenset(found)


def step_answers(spec: AppSpec, surface: Surface) -> tuple[tuple[str, str], ...]:
    """(person, answer) for opening a flow's step that shows ``surface``: the surface's page
    rule decides ("ok" whenever the person may see some record); flows need a login whenever
    ``login_required`` is on."""
    if surface.mode == "custom":
        rule = surface.permit or default_rule(spec)
    else:
        entity = spec.entity(surface.entity or "")
        if entity is None:
            return ()
        rule = page_rule(spec, entity, SURFACE_OPERATIONS[surface.mode])
    out = []
    for person in people(spec):
        if not person.signed_in and spec.config.build.login_required:
            out.append((person.name, "login"))
        else:
            out.append(
                (person.name, "ok" if decide(rule, person) is not False else answer(rule, person, False))
            )
    return tuple(out)
