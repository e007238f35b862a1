"""The transformer that turns DAZZLE parse-tree nodes into the IR of one module.

(One callback per grammar rule, hence one class and a module longer than most.)

It runs inline with the LALR parser (no tree is built) and keeps names exactly as written:
resolving and validating them is the linker's job. It reports only what the IR cannot hold
(two `mode:` lines, a missing `mode:`, `=x` together with `default=x`, a size that is not a
whole number, a second `permit:` block or `roles:`, `sort:` or `filter:` line ...) as
diagnostics in ``errors``; ``parse_module`` raises them. An operation named twice in a
`permit:` block is kept, like a field defined twice, and so is a field named twice in a
`sort:` or `filter:` line: the validator reports them with the project's other errors.

Locations (``loc`` / ``locs``; file as given, 1-based line and column):

* every named node's ``loc`` is where its name starts: Entity, EntityField, Surface, Section,
  SurfaceField, SurfaceAction, Experience, Step, Service, ForeignModel, Integration,
  IntegrationAction, Sync, App, Role; Use and Module (``module`` line) at the module name;
  Mapping at its target; MatchPair at its foreign field; Expression and Value at their start;
  SortKey and ListFilter at their field's name (after the `-` of a descending key);
* unnamed nodes at their first token: FieldType at its type keyword, Constraint at
  `unique`/`index`, ForeignConstraint at `constraint`, ResponseMap at `map`, Outcome at its
  target name, PermitRule at its operation, Condition at its first word (`and`/`or` at their
  first part's);
* ``locs``: EntityField "type", "default" (the literal, inline or after ``default=``), "was"
  (the old name) and one per modifier keyword ("required", "optional", "pk", "unique",
  "unique?", "auto_add", "auto_update"); FieldType "ref" (the target); Constraint
  "fields.<i>"; Entity "permit" (the `permit` word of its block); Surface "entity", "mode"
  (the mode value), "permit", "sort", "filter" (the line's first word); App "roles" (the
  `roles` word); Condition "name" (the role of `role(x)`, the field of `x = current_user`);
  Outcome "step", "action"; Experience "start"; Step "kind", "surface", "integration",
  "action", "on_success", "on_failure" (the target step names); Service "spec" (the string),
  "auth" (the profile); ForeignModel "service", "key.<i>"; Integration "services.<i>",
  "foreign_models.<i>"; IntegrationAction "surface", "service", "operation"; ResponseMap
  "foreign", "entity"; Sync "mode", "schedule", "service", "operation", "foreign", "entity";
  MatchPair "foreign_field", "entity_field".

Conditions: `and` and `or` of more than two parts are one node (``a or b or c``, also
``(a or b) or c``: grouping a part of the same kind changes nothing); parentheses leave no node
of their own.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from dazzle import ir
from dazzle.ir.diagnostics import Diagnostic
from dazzle.syntax.lalr import Token

_ESCAPE = re.compile(r'\\([\\"])')

_FLAG_MODIFIERS = {  # token type → (EntityField attribute, locs key)
    "REQUIRED": ("required", "required"),
    "OPTIONAL": ("optional", "optional"),
    "PK": ("pk", "pk"),
    "UNIQUE": ("unique", "unique"),
    "UNIQUE_NULLABLE": ("unique_nullable", "unique?"),
    "AUTO_ADD": ("auto_add", "auto_add"),
    "AUTO_UPDATE": ("auto_update", "auto_update"),
}


class Named(NamedTuple):
    """A (possibly dotted) name as written, with where it starts."""

    text: str
    loc: ir.Location


class Line(NamedTuple):
    """One single-valued line of a block (e.g. `mode: list`): its role, values and location."""

    role: str
    values: tuple
    loc: ir.Location


def _combined(kind: str, parts: list[ir.Condition]) -> ir.Condition:
    """``parts`` joined by ``kind`` (`and`/`or`) in one node; a part of the same kind (from
    parentheses) gives its own parts."""
    flat: list[ir.Condition] = []
    for part in parts:
        if part.kind == kind:
            flat.extend(part.parts)
        else:
            flat.append(part)
    return ir.Condition.trusted(kind=kind, parts=tuple(flat), loc=parts[0].loc)


def unquote(token: Token) -> str:
    body = token[1][1:-1]
    return _ESCAPE.sub(r"\1", body) if "\\" in body else body


class ModuleBuilder:
    """Inline LALR transformer (``dazzle.syntax.lalr`` calls the method named after each rule as it
    reduces it); call ``begin`` before each parse (it holds per-file state)."""

    def __init__(self) -> None:
        self.begin("", "")

    def begin(self, file: str, default_name: str) -> None:
        self.file = file
        self.module_name = default_name
        self.errors: list[Diagnostic] = []

    # ------------------------------------------------------------ helpers

    def _loc(self, token: Token) -> ir.Location:
        return ir.Location.trusted(self.file, token[2], token[3])

    def _named(self, token: Token) -> Named:
        return Named(token[1], self._loc(token))

    def _error(self, message: str, loc: ir.Location, hint: str | None = None) -> None:
        self.errors.append(Diagnostic(message, loc=loc, hint=hint))

    def _title(self, token: Token | None) -> str | None:
        return unquote(token) if token is not None else None

    def _single_lines(self, lines: list, where: str, roles: dict[str, str]) -> dict[str, Line]:
        """The single-valued lines of a block by role; a repeated one is an error."""
        found: dict[str, Line] = {}
        for line in lines:
            if not isinstance(line, Line):
                continue
            if line.role in found:
                self._error(
                    f"second `{roles[line.role]}` line in {where}",
                    line.loc,
                    hint=f"keep one `{roles[line.role]}` line",
                )
                continue
            found[line.role] = line
        return found

    def _missing(self, what: str, where: str, loc: ir.Location) -> None:
        self._error(f"{where} has no `{what}` line", loc, hint=f"add a `{what}` line to its block")

    def _number(self, token: Token, what: str) -> int:
        if "." in token[1]:
            self._error(f"{what} must be a whole number, found `{token[1]}`", self._loc(token))
            return 0
        return self._int(token)

    def _int(self, token: Token) -> int:
        try:
            return int(token[1])
        except ValueError:  # Python refuses to convert integers of thousands of digits
            self._error(f"the number `{token[1][:20]}...` is too long", self._loc(token))
            return 0

    # ------------------------------------------------------------ names and literals

    def dotted(self, parts: list[Token]) -> Named:
        return Named(".".join(p[1] for p in parts), self._loc(parts[0]))

    def operation(self, parts: list[Token]) -> tuple[Named, Named]:
        service = Named(".".join(p[1] for p in parts[:-1]), self._loc(parts[0]))
        return service, self._named(parts[-1])

    def literal(self, children: list[Token]) -> ir.Value:
        (token,) = children
        loc = self._loc(token)
        kind = token[0]
        if kind == "STRING":
            return ir.Value.trusted(kind="string", value=unquote(token), loc=loc)
        if kind == "NUMBER":
            if "." in token[1]:
                return ir.Value.trusted(kind="number", value=token[1], loc=loc)
            return ir.Value.trusted(kind="int", value=self._int(token), loc=loc)
        if kind in ("TRUE", "FALSE"):
            return ir.Value.trusted(kind="bool", value=kind == "TRUE", loc=loc)
        return ir.Value.trusted(kind="word", value=token[1], loc=loc)

    def expression(self, children: list[Any]) -> ir.Expression:
        (item,) = children
        if isinstance(item, Named):
            if "." not in item.text:  # a bare word is a literal, a path has a root and a part
                value = ir.Value.trusted(kind="word", value=item.text, loc=item.loc)
                return ir.Expression.trusted(literal=value, loc=item.loc)
            return ir.Expression.trusted(path=tuple(item.text.split(".")), loc=item.loc)
        value = self.literal([item])
        return ir.Expression.trusted(literal=value, loc=value.loc)

    def option(self, children: list[Token]) -> tuple[str, ir.Value]:
        key, value = children
        return key[1], self.literal([value])

    # ------------------------------------------------------------ module level

    def start(self, children: list[Any]) -> ir.Module:
        declared, *items = children
        groups: dict[type, list] = {}
        for item in items:
            groups.setdefault(type(item), []).append(item)
        apps = groups.get(ir.App, [])
        for extra in apps[1:]:
            self._error(
                "second `app` line in this module",
                extra.loc,
                hint="a project has exactly one `app`, in its root module",
            )
        return ir.Module.trusted(
            name=self.module_name,
            file=self.file,
            declared=declared is not None,
            uses=tuple(groups.get(ir.Use, ())),
            app=apps[0] if apps else None,
            entities=tuple(groups.get(ir.Entity, ())),
            surfaces=tuple(groups.get(ir.Surface, ())),
            experiences=tuple(groups.get(ir.Experience, ())),
            services=tuple(groups.get(ir.Service, ())),
            foreign_models=tuple(groups.get(ir.ForeignModel, ())),
            integrations=tuple(groups.get(ir.Integration, ())),
            loc=declared.loc if declared is not None else None,
        )

    def module_decl(self, children: list[Any]) -> Named:
        # The `module` line comes first, so every block parsed after it gets this name.
        self.module_name = children[1].text
        return children[1]

    def use(self, children: list[Any]) -> ir.Use:
        _, module, _as, alias = children
        locs = {"alias": self._loc(alias)} if alias is not None else {}
        return ir.Use.trusted(
            module=module.text, alias=alias[1] if alias is not None else None, loc=module.loc, locs=locs
        )

    def app(self, children: list[Any]) -> ir.App:
        _, name, title, *lines = children
        if not lines:
            return ir.App.trusted(name=name[1], title=self._title(title), loc=self._loc(name))
        # One `roles:` line, as a foreign model has one `key:` line: a second is a mistake
        # (two lists that look alike), not a continuation.
        for extra in lines[1:]:
            self._error(
                f"second `roles:` line in app `{name[1]}`",
                extra.loc,
                hint="list every role on one `roles:` line",
            )
        roles = lines[0]
        return ir.App.trusted(
            name=name[1],
            title=self._title(title),
            roles=roles.values,
            loc=self._loc(name),
            locs={"roles": roles.loc},
        )

    def app_roles(self, children: list[Any]) -> Line:
        keyword, *roles = children
        return Line("roles", tuple(roles), self._loc(keyword))

    def role(self, children: list[Token]) -> ir.Role:
        name, title = children
        return ir.Role.trusted(name=name[1], title=self._title(title), loc=self._loc(name))

    # ------------------------------------------------------------ entities

    def entity(self, children: list[Any]) -> ir.Entity:
        _, name, title, *lines = children
        values: dict[str, Any] = {}
        permits = [line for line in lines if type(line) is Line]
        if permits:
            for extra in permits[1:]:
                self._error(
                    f"second `permit:` block in entity `{name[1]}`",
                    extra.loc,
                    hint="give every operation's rule in one `permit:` block",
                )
            values = {"permit": permits[0].values, "locs": {"permit": permits[0].loc}}
        return ir.Entity.trusted(
            name=name[1],
            title=self._title(title),
            fields=tuple(line for line in lines if isinstance(line, ir.EntityField)),
            constraints=tuple(line for line in lines if isinstance(line, ir.Constraint)),
            module=self.module_name,
            loc=self._loc(name),
            **values,
        )

    def field(self, children: list[Any]) -> ir.EntityField:
        name, field_type, inline_default, *modifiers = children
        values: dict[str, Any] = {}
        locs = {"type": field_type.loc}
        if inline_default is not None:
            values["default"] = inline_default
            locs["default"] = inline_default.loc
        for modifier in modifiers:
            if type(modifier) is tuple:  # a flag's token (Named is a tuple subclass)
                attribute, role = _FLAG_MODIFIERS[modifier[0]]
                values[attribute] = True
                locs.setdefault(role, self._loc(modifier))
            elif isinstance(modifier, ir.Value):  # default=<literal>
                if "default" in values:
                    self._error(
                        f"field `{name[1]}` has two defaults",
                        modifier.loc,
                        hint="give either `=<value>` after the type or `default=<value>`, not both",
                    )
                    continue
                values["default"] = modifier
                locs["default"] = modifier.loc
            else:  # was <old_name>
                if "was" in values:
                    self._error(f"field `{name[1]}` has two `was` modifiers", modifier.loc)
                    continue
                values["was"] = modifier.text
                locs["was"] = modifier.loc
        return ir.EntityField.trusted(name=name[1], type=field_type, loc=self._loc(name), locs=locs, **values)

    def inline_default(self, children: list[Any]) -> ir.Value:
        return children[0]

    def default_modifier(self, children: list[Any]) -> ir.Value:
        return children[1]

    def was_modifier(self, children: list[Any]) -> Named:
        return self._named(children[1])

    def constraint(self, children: list[Any]) -> ir.Constraint:
        keyword, *names = children
        return ir.Constraint.trusted(
            kind=keyword[1],
            fields=tuple(n[1] for n in names),
            loc=self._loc(keyword),
            locs={f"fields.{i}": self._loc(n) for i, n in enumerate(names)},
        )

    def str_type(self, children: list[Token]) -> ir.FieldType:
        keyword, size = children
        return ir.FieldType.trusted(
            kind="str", max_length=self._number(size, "the length of `str(N)`"), loc=self._loc(keyword)
        )

    def decimal_type(self, children: list[Token]) -> ir.FieldType:
        keyword, digits, places = children
        return ir.FieldType.trusted(
            kind="decimal",
            max_digits=self._number(digits, "the precision P of `decimal(P,S)`"),
            decimal_places=self._number(places, "the scale S of `decimal(P,S)`"),
            loc=self._loc(keyword),
        )

    def enum_type(self, children: list[Token]) -> ir.FieldType:
        keyword, *values = children
        return ir.FieldType.trusted(
            kind="enum",
            enum_values=tuple(unquote(v) if v[0] == "STRING" else v[1] for v in values),
            loc=self._loc(keyword),
        )

    def ref_type(self, children: list[Any]) -> ir.FieldType:
        keyword, target = children
        return ir.FieldType.trusted(
            kind="ref", ref=target.text, loc=self._loc(keyword), locs={"ref": target.loc}
        )

    def simple_type(self, children: list[Token]) -> ir.FieldType:
        (keyword,) = children
        return ir.FieldType.trusted(kind=keyword[1], loc=self._loc(keyword))

    # ------------------------------------------------------------ surfaces

    def surface(self, children: list[Any]) -> ir.Surface:
        _, name, title, *lines = children
        where = f"surface `{name[1]}`"
        roles = {
            "entity": "uses entity",
            "mode": "mode:",
            "permit": "permit:",
            "sort": "sort:",
            "filter": "filter:",
        }
        single = self._single_lines(lines, where, roles)
        mode = single.get("mode")
        if mode is None:
            self._missing("mode:", where, self._loc(name))
        entity = single.get("entity")
        locs = {role: line.loc for role, line in single.items()}
        values: dict[str, Any] = {}
        if "permit" in single:
            values["permit"] = single["permit"].values[0]
        if "sort" in single:
            values["sort"] = single["sort"].values
        if "filter" in single:
            values["filters"] = single["filter"].values
        return ir.Surface.trusted(
            name=name[1],
            title=self._title(title),
            entity=entity.values[0] if entity else None,
            mode=mode.values[0] if mode else "custom",
            sections=tuple(line for line in lines if isinstance(line, ir.Section)),
            actions=tuple(line for line in lines if isinstance(line, ir.SurfaceAction)),
            module=self.module_name,
            loc=self._loc(name),
            locs=locs,
            **values,
        )

    def surface_permit(self, children: list[Any]) -> Line:
        keyword, condition = children
        return Line("permit", (condition,), self._loc(keyword))

    def surface_sort(self, children: list[Any]) -> Line:
        keyword, *keys = children
        return Line("sort", tuple(keys), self._loc(keyword))

    def sort_key(self, children: list[Token | None]) -> ir.SortKey:
        minus, field = children
        return ir.SortKey.trusted(field=field[1], descending=minus is not None, loc=self._loc(field))

    def surface_filter(self, children: list[Token]) -> Line:
        keyword, *fields = children
        filters = tuple(ir.ListFilter.trusted(field=f[1], loc=self._loc(f)) for f in fields)
        return Line("filter", filters, self._loc(keyword))

    def surface_entity(self, children: list[Any]) -> Line:
        target = children[2]
        return Line("entity", (target.text,), target.loc)

    def surface_mode(self, children: list[Token]) -> Line:
        value = children[1]
        return Line("mode", (value[1],), self._loc(value))

    def section(self, children: list[Any]) -> ir.Section:
        _, name, title, *fields = children
        return ir.Section.trusted(
            name=name[1], title=self._title(title), fields=tuple(fields), loc=self._loc(name)
        )

    def surface_field(self, children: list[Any]) -> ir.SurfaceField:
        _, name, label, *options = children
        return ir.SurfaceField.trusted(
            name=name[1], label=self._title(label), options=tuple(options), loc=self._loc(name)
        )

    def surface_action(self, children: list[Any]) -> ir.SurfaceAction:
        _, name, label, _on, trigger, outcome = children
        return ir.SurfaceAction.trusted(
            name=name[1],
            label=self._title(label),
            trigger=trigger[1],
            outcome=outcome,
            loc=self._loc(name),
        )

    def surface_outcome(self, children: list[Any]) -> ir.Outcome:
        target = children[1]
        return ir.Outcome.trusted(kind="surface", target=target.text, loc=target.loc)

    def experience_outcome(self, children: list[Any]) -> ir.Outcome:
        _, target, _step, step = children
        locs = {"step": self._loc(step)} if step is not None else {}
        return ir.Outcome.trusted(
            kind="experience",
            target=target.text,
            step=step[1] if step is not None else None,
            loc=target.loc,
            locs=locs,
        )

    def integration_outcome(self, children: list[Any]) -> ir.Outcome:
        _, target, _action, action = children
        return ir.Outcome.trusted(
            kind="integration",
            target=target.text,
            action=action[1],
            loc=target.loc,
            locs={"action": self._loc(action)},
        )

    # ------------------------------------------------------------ access control

    def permit(self, children: list[Any]) -> Line:
        keyword, *rules = children
        return Line("permit", tuple(rules), self._loc(keyword))

    def permit_rule(self, children: list[Any]) -> ir.PermitRule:
        operation, condition = children
        return ir.PermitRule.trusted(operation=operation[1], condition=condition, loc=self._loc(operation))

    def condition(self, children: list[Any]) -> ir.Condition:
        return children[0] if len(children) == 1 else _combined("or", children[::2])

    def conjunction(self, children: list[Any]) -> ir.Condition:
        return children[0] if len(children) == 1 else _combined("and", children[::2])

    def simple_condition(self, children: list[Token]) -> ir.Condition:
        (word,) = children
        return ir.Condition.trusted(kind=word[1], loc=self._loc(word))

    def role_condition(self, children: list[Token]) -> ir.Condition:
        keyword, role = children
        return ir.Condition.trusted(
            kind="role", name=role[1], loc=self._loc(keyword), locs={"name": self._loc(role)}
        )

    def field_condition(self, children: list[Token]) -> ir.Condition:
        field = children[0]
        loc = self._loc(field)
        return ir.Condition.trusted(kind="field", name=field[1], loc=loc, locs={"name": loc})

    def grouped_condition(self, children: list[Any]) -> ir.Condition:
        return children[0]

    # ------------------------------------------------------------ experiences

    def experience(self, children: list[Any]) -> ir.Experience:
        _, name, title, *lines = children
        where = f"experience `{name[1]}`"
        single = self._single_lines(lines, where, {"start": "start at step"})
        start = single.get("start")
        if start is None:
            self._missing("start at step", where, self._loc(name))
        return ir.Experience.trusted(
            name=name[1],
            title=self._title(title),
            start=start.values[0] if start else "",
            steps=tuple(line for line in lines if isinstance(line, ir.Step)),
            module=self.module_name,
            loc=self._loc(name),
            locs={"start": start.loc} if start else {},
        )

    def experience_start(self, children: list[Token]) -> Line:
        step = children[3]
        return Line("start", (step[1],), self._loc(step))

    def step(self, children: list[Any]) -> ir.Step:
        _, name, *lines = children
        where = f"step `{name[1]}`"
        roles = {
            "kind": "kind:",
            "surface": "surface",
            "integration": "integration",
            "on_success": "on success",
            "on_failure": "on failure",
        }
        single = self._single_lines(lines, where, roles)
        kind = single.get("kind")
        if kind is None:
            self._missing("kind:", where, self._loc(name))
        values: dict[str, Any] = {role: line.values[0] for role, line in single.items() if role != "kind"}
        locs = {role: line.loc for role, line in single.items()}
        integration = single.get("integration")
        if integration is not None:
            values["action"] = integration.values[1]
            locs["action"] = integration.values[2]
        return ir.Step.trusted(
            name=name[1],
            kind=kind.values[0] if kind else "process",
            loc=self._loc(name),
            locs=locs,
            **values,
        )

    def step_kind(self, children: list[Token]) -> Line:
        return Line("kind", (children[1][1],), self._loc(children[1]))

    def step_surface(self, children: list[Any]) -> Line:
        return Line("surface", (children[1].text,), children[1].loc)

    def step_integration(self, children: list[Any]) -> Line:
        _, target, _action, action = children
        return Line("integration", (target.text, action[1], self._loc(action)), target.loc)

    def step_transition(self, children: list[Token]) -> Line:
        _on, outcome, _step, step = children
        return Line(f"on_{outcome[1]}", (step[1],), self._loc(step))

    # ------------------------------------------------------------ services and foreign models

    def service(self, children: list[Any]) -> ir.Service:
        _, name, title, *lines = children
        where = f"service `{name[1]}`"
        single = self._single_lines(
            lines, where, {"spec": "spec:", "auth": "auth_profile:", "owner": "owner:"}
        )
        for required in ("spec", "auth"):
            if required not in single:
                self._missing(
                    f"{required}:" if required == "spec" else "auth_profile:", where, self._loc(name)
                )
        spec, auth, owner = single.get("spec"), single.get("auth"), single.get("owner")
        return ir.Service.trusted(
            name=name[1],
            title=self._title(title),
            spec_kind=spec.values[0] if spec else "inline",
            spec=spec.values[1] if spec else "",
            auth=auth.values[0] if auth else "none",
            auth_options=auth.values[1] if auth else (),
            owner=owner.values[0] if owner else None,
            module=self.module_name,
            loc=self._loc(name),
            locs={role: line.loc for role, line in single.items() if role != "owner"},
        )

    def service_spec(self, children: list[Token]) -> Line:
        _, kind, value = children
        return Line("spec", (kind[1], unquote(value)), self._loc(value))

    def service_auth(self, children: list[Any]) -> Line:
        _, kind, *options = children
        return Line("auth", (kind[1], tuple(options)), self._loc(kind))

    def service_owner(self, children: list[Token]) -> Line:
        return Line("owner", (unquote(children[1]),), self._loc(children[1]))

    def foreign_model(self, children: list[Any]) -> ir.ForeignModel:
        _, name, _from, service, title, *lines = children
        keys = [line for line in lines if isinstance(line, list)]
        for extra in keys[1:]:
            self._error(
                f"second `key:` line in foreign model `{name[1]}`",
                extra[0].loc,
                hint="list every key field on one `key:` line",
            )
        key = keys[0] if keys else []
        locs = {"service": service.loc}
        locs.update({f"key.{i}": part.loc for i, part in enumerate(key)})
        return ir.ForeignModel.trusted(
            name=name[1],
            service=service.text,
            title=self._title(title),
            key=tuple(part.text for part in key),
            constraints=tuple(line for line in lines if isinstance(line, ir.ForeignConstraint)),
            fields=tuple(line for line in lines if isinstance(line, ir.EntityField)),
            module=self.module_name,
            loc=self._loc(name),
            locs=locs,
        )

    def foreign_key(self, children: list[Token]) -> list[Named]:
        return [self._named(part) for part in children[1:]]

    def foreign_constraint(self, children: list[Any]) -> ir.ForeignConstraint:
        keyword, kind, *options = children
        return ir.ForeignConstraint.trusted(kind=kind[1], options=tuple(options), loc=self._loc(keyword))

    def foreign_field(self, children: list[Any]) -> ir.EntityField:
        return self.field(children[1:])  # `field` and the children of an entity's field line

    # ------------------------------------------------------------ integrations

    def integration(self, children: list[Any]) -> ir.Integration:
        _, name, title, *lines = children
        services = [
            n for line in lines if isinstance(line, Line) and line.role == "services" for n in line.values
        ]
        foreign = [
            n for line in lines if isinstance(line, Line) and line.role == "foreign" for n in line.values
        ]
        locs = {f"services.{i}": n.loc for i, n in enumerate(services)}
        locs.update({f"foreign_models.{i}": n.loc for i, n in enumerate(foreign)})
        return ir.Integration.trusted(
            name=name[1],
            title=self._title(title),
            services=tuple(n.text for n in services),
            foreign_models=tuple(n.text for n in foreign),
            actions=tuple(line for line in lines if isinstance(line, ir.IntegrationAction)),
            syncs=tuple(line for line in lines if isinstance(line, ir.Sync)),
            module=self.module_name,
            loc=self._loc(name),
            locs=locs,
        )

    def uses_services(self, children: list[Any]) -> Line:
        return Line("services", tuple(children[2:]), children[2].loc)

    def uses_foreign_models(self, children: list[Any]) -> Line:
        return Line("foreign", tuple(children[2:]), children[2].loc)

    def integration_action(self, children: list[Any]) -> ir.IntegrationAction:
        _, name, *lines = children
        where = f"integration action `{name[1]}`"
        single = self._single_lines(lines, where, {"when": "when surface", "call": "call"})
        responses = [line for line in lines if isinstance(line, ir.ResponseMap)]
        for extra in responses[1:]:
            self._error(
                f"second `map response` in {where}", extra.loc, hint="an action maps its response once"
            )
        when, call = single.get("when"), single.get("call")
        if when is None:
            self._missing("when surface <surface> submitted", where, self._loc(name))
        if call is None:
            self._missing("call <service>.<operation>", where, self._loc(name))
        service = operation = Named("", self._loc(name))
        params: tuple = ()
        locs = {}
        if call is not None:
            service, operation, params = call.values
            locs.update(service=service.loc, operation=operation.loc)
        if when is not None:
            locs["surface"] = when.loc
        return ir.IntegrationAction.trusted(
            name=name[1],
            surface=when.values[0] if when else "",
            service=service.text,
            operation=operation.text,
            params=params,
            response=responses[0] if responses else None,
            loc=self._loc(name),
            locs=locs,
        )

    def action_when(self, children: list[Any]) -> Line:
        return Line("when", (children[2].text,), children[2].loc)

    def action_call(self, children: list[Any]) -> Line:
        _, (service, operation), *rest = children
        params = tuple(item for item in rest if isinstance(item, ir.Mapping))
        return Line("call", (service, operation, params), service.loc)

    def action_map(self, children: list[Any]) -> ir.ResponseMap:
        keyword, _response, foreign, _arrow_entity, entity, *mappings = children
        return ir.ResponseMap.trusted(
            foreign=foreign.text,
            entity=entity.text,
            fields=tuple(mappings),
            loc=self._loc(keyword),
            locs={"foreign": foreign.loc, "entity": entity.loc},
        )

    def mapping(self, children: list[Any]) -> ir.Mapping:
        target, source = children
        return ir.Mapping.trusted(target=target[1], source=source, loc=self._loc(target))

    def sync(self, children: list[Any]) -> ir.Sync:
        _, name, *lines = children
        where = f"sync `{name[1]}`"
        roles = {
            "mode": "mode:",
            "schedule": "schedule:",
            "from": "from",
            "into": "into entity",
            "match": "match on:",
        }
        single = self._single_lines(lines, where, roles)
        for role in ("mode", "from", "into"):
            if role not in single:
                self._missing(roles[role], where, self._loc(name))
        mode, schedule, into, match = (single.get(r) for r in ("mode", "schedule", "into", "match"))
        blank = Named("", self._loc(name))
        service, operation, foreign = single["from"].values if "from" in single else (blank,) * 3
        locs = {role: single[role].loc for role in ("mode", "schedule") if role in single}
        if "from" in single:
            locs.update(service=service.loc, operation=operation.loc, foreign=foreign.loc)
        if into is not None:
            locs["entity"] = into.loc
        return ir.Sync.trusted(
            name=name[1],
            mode=mode.values[0] if mode else "scheduled",
            schedule=schedule.values[0] if schedule else None,
            service=service.text,
            operation=operation.text,
            foreign=foreign.text,
            entity=into.values[0] if into else "",
            match=match.values if match else (),
            loc=self._loc(name),
            locs=locs,
        )

    def sync_mode(self, children: list[Token]) -> Line:
        return Line("mode", (children[1][1],), self._loc(children[1]))

    def sync_schedule(self, children: list[Token]) -> Line:
        return Line("schedule", (unquote(children[1]),), self._loc(children[1]))

    def sync_from(self, children: list[Any]) -> Line:
        _, (service, operation), _as, foreign = children
        return Line("from", (service, operation, foreign), service.loc)

    def sync_into(self, children: list[Any]) -> Line:
        return Line("into", (children[2].text,), children[2].loc)

    def sync_match(self, children: list[Any]) -> Line:
        return Line("match", tuple(children[2:]), self._loc(children[0]))

    def match_pair(self, children: list[Token]) -> ir.MatchPair:
        foreign, entity = children
        return ir.MatchPair.trusted(
            foreign_field=foreign[1],
            entity_field=entity[1],
            loc=self._loc(foreign),
            locs={"foreign_field": self._loc(foreign), "entity_field": self._loc(entity)},
        )
