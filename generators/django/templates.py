"""The ``templates`` generator: the Django templates of the app, one task per entity.

Items: ``site`` (base layout with navigation from the list surfaces, home page, shared partials,
``registration/login.html``), ``entity_<Name>`` (one page per surface of the entity, plus the
delete confirmation where a detail or edit page exists) and ``surface_<name>`` (a custom
surface's form page). Every string from the spec goes through the ``html`` filter, which also
neutralises ``{{``/``{%``, so a title can never become template code. Each template's first
line says where the user's version goes (``templates/<name>`` next to ``manage.py``, first in
``TEMPLATES`` ``DIRS``); ``base.html`` has an empty ``extra_head`` block for it to fill.

What a page shows is what its surface lists, in that order, with those labels: list columns,
detail fields, form inputs grouped by section. Where its links and buttons lead is
``wiring``'s, asked at slice time, so no task of this generator reads another's artifact (each
of its hundreds of tasks would depend on it). Its artifacts are empty.
"""

from __future__ import annotations

from pydantic import BaseModel

from dazzle.ir import AppSpec, Entity, Surface
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import render
from generators.django.spec_index import indexed
from generators.django.wiring import (
    Redirect,
    RelatedList,
    flow_url_name,
    related_lists,
    surface_bindings,
    surface_page,
)


class Column(BaseModel):
    """One shown value: a list column or a detail row."""

    attr: str
    label: str
    kind: str  # text, longtext, email, enum, bool, value, ref
    link: str | None = None  # URL name of the ref target's detail page
    link_model: str | None = None  # the target's model class: who may follow the link (access.py)


class Block(BaseModel):
    """A section of a surface: its title and what it shows (``columns``) or asks (``inputs``)."""

    title: str
    columns: tuple[Column, ...] = ()
    inputs: tuple[str, ...] = ()  # form field names (model attributes)


class Link(BaseModel):
    label: str
    target: Redirect


class Button(BaseModel):
    """A surface action `on click -> integration ...`: a button posting ``dazzle_action=name``."""

    name: str
    label: str


class FlowLink(BaseModel):
    """A surface action `on click -> experience X [step Y]`."""

    label: str
    url_name: str
    step: str | None = None


class Page(BaseModel):
    title: str
    blocks: tuple[Block, ...]
    links: tuple[Link, ...] = ()  # surface actions `on click -> surface X`
    submit: str | None = None  # a submit action's label
    buttons: tuple[Button, ...] = ()
    flow_links: tuple[FlowLink, ...] = ()
    runs_actions: bool = False  # the page may show integration results


class RelatedBlock(BaseModel):
    """A related list on a view page (``wiring.related_lists``): the child's list columns
    without the reference back, its row link, its "new" link with the reference filled in."""

    key: str  # the view's ``related`` entry
    title: str  # the child's list surface's title
    model: str  # the child's model class: who may list and create (access.py)
    columns: tuple[Column, ...] = ()
    row_link: str | None = None  # URL name of a child's page (detail, else edit)
    row_access: tuple[str, str] | None = None
    create_url: str | None = None  # URL name of the child's create page
    create_label: str = ""
    prefill: str = ""  # the reference's attribute: ``?<prefill>=<key>`` fills it in
    all_url: str | None = None  # the child's list, filtered by the reference (when it may be)
    all_param: str = ""


class EntitySlice(BaseModel):
    app: str
    name: str
    label: str
    pages: tuple[str, ...]
    model: str  # its model class: what access.py names its rules by
    url_names: dict[str, str]  # page → its URL name
    files: dict[str, str]  # page → its template, below ``<app>/templates/``
    searchable: bool = False
    filterable: bool = False  # its list surface has a `filter:` line
    related: tuple[RelatedBlock, ...] = ()
    list: Page | None = None
    view: Page | None = None
    create: Page | None = None
    edit: Page | None = None


class NavLink(BaseModel):
    title: str
    url_name: str
    access: tuple[str, str]  # who may follow it: see wiring.Redirect


class SiteSlice(BaseModel):
    app: str
    title: str
    lists: tuple[NavLink, ...] = ()
    creates: tuple[NavLink, ...] = ()
    customs: tuple[NavLink, ...] = ()


class CustomSlice(BaseModel):
    app: str
    name: str
    file: str  # its template, below ``<app>/templates/``
    page: Page


SOURCE = "app/templates/app"  # where the app's page templates live in the template tree

_KINDS = {"str": "text", "text": "longtext", "email": "email", "enum": "enum", "bool": "bool", "ref": "ref"}


def column(
    spec: AppSpec, entity: Entity, attrs: dict[str, str], name: str, label: str | None
) -> Column | None:
    field = entity.field(name)
    if field is None:
        return None
    link = model = None
    if field.type.kind == "ref":
        target = spec.entity(field.type.ref or "")
        if target is not None and spec.surface_for(target.name, "view") is not None:
            names = naming.app_names(spec).entities[target.name]
            link, model = names.url("detail"), names.model
    kind = _KINDS.get(field.type.kind, "value")
    return Column(attr=attrs[name], label=label or name, kind=kind, link=link, link_model=model)


def page(spec: AppSpec, entity: Entity | None, surface: Surface) -> Page:
    attrs = naming.field_attrs(entity) if entity is not None else {}
    blocks: list[Block] = []
    if surface.mode in ("create", "edit") and entity is not None:
        wanted = naming.form_field_names(entity, surface.mode, [f.name for f in surface.fields])
        placed: set[str] = set()
        for section in surface.sections:
            names = [f.name for f in section.fields if f.name in wanted and f.name not in placed]
            placed.update(names)
            blocks.append(Block(title=section.title or section.name, inputs=tuple(attrs[n] for n in names)))
        extra = tuple(attrs[n] for n in wanted if n not in placed)
        if extra and blocks:
            last = blocks[-1]
            blocks[-1] = last.model_copy(update={"inputs": last.inputs + extra})
    elif surface.mode == "custom":
        inputs = naming.custom_field_attrs(entity, [f.name for f in surface.fields])
        placed = set()
        for section in surface.sections:
            names = [f.name for f in section.fields if f.name not in placed]
            placed.update(names)
            blocks.append(Block(title=section.title or section.name, inputs=tuple(inputs[n] for n in names)))
    else:
        for section in surface.sections:
            cols = (column(spec, entity, attrs, f.name, f.label) for f in section.fields) if entity else ()
            blocks.append(Block(title=section.title or section.name, columns=tuple(c for c in cols if c)))
    links, submit, flow_links = [], None, []
    bindings = surface_bindings(spec, surface)
    buttons = [Button(name=b.name, label=b.label) for b in bindings if b.trigger == "click"]
    for action in surface.actions:
        if (
            action.trigger == "click"
            and action.outcome.kind == "experience"
            and spec.experience(action.outcome.target) is not None
        ):
            flow_links.append(
                FlowLink(
                    label=action.label or action.name,
                    step=action.outcome.step,
                    url_name=flow_url_name(spec, action.outcome.target, action.outcome.step),
                )
            )
        label = action.label or action.name
        if action.trigger == "submit" and submit is None:
            submit = label  # where it leads is the view's success_url (or a later integration)
        elif action.trigger == "click" and action.outcome.kind == "surface":
            target = spec.surface(action.outcome.target)
            found = surface_page(spec, target, surface.entity or "") if target else None
            if found is not None:
                links.append(Link(label=label, target=found))
    return Page(
        title=surface.label,
        blocks=tuple(blocks),
        links=tuple(links),
        submit=submit,
        buttons=tuple(buttons),
        flow_links=tuple(flow_links),
        runs_actions=bool(bindings),
    )


def related_block(spec: AppSpec, found: RelatedList) -> RelatedBlock:
    child = spec.entity(found.child)
    listing = spec.surface_for(found.child, "list")
    names = naming.app_names(spec).entities[found.child]
    attrs = naming.field_attrs(child)
    pages = naming.entity_pages(s.mode for s in spec.surfaces_of(found.child))
    columns = (column(spec, child, attrs, f.name, f.label) for f in listing.fields if f.name != found.field)
    row = "detail" if "detail" in pages else ("update" if "update" in pages else None)
    create = spec.surface_for(found.child, "create")
    filtered = any(f.field == found.field for f in listing.filters)
    return RelatedBlock(
        key=found.key,
        title=listing.label,
        model=names.model,
        columns=tuple(c for c in columns if c is not None),
        row_link=names.url(row) if row else None,
        row_access=(names.model, "read" if row == "detail" else "update") if row else None,
        create_url=names.url("create") if create is not None else None,
        create_label=create.label if create is not None else "",
        prefill=attrs[found.field],
        all_url=names.url("list") if filtered else None,
        all_param=attrs[found.field],
    )


def entity_slice(spec: AppSpec, app: str, entity: Entity) -> EntitySlice | None:
    surfaces = spec.surfaces_of(entity.name)
    pages = naming.entity_pages(s.mode for s in surfaces)
    if not pages:
        return None
    by_mode = {mode: spec.surface_for(entity.name, mode) for mode in ("list", "view", "create", "edit")}
    listing = by_mode["list"]
    names = naming.app_names(spec).entities[entity.name]
    return EntitySlice(
        app=app,
        name=entity.name,
        label=entity.label,
        pages=pages,
        model=names.model,
        url_names={p: names.url(p) for p in pages},
        files={p: names.template(app, p) for p in pages},
        searchable=bool(listing and naming.search_attrs(entity, [f.name for f in listing.fields])),
        filterable=bool(listing and listing.filters),
        related=tuple(related_block(spec, r) for r in related_lists(spec, entity.name)),
        **{mode: page(spec, entity, s) for mode, s in by_mode.items() if s is not None},
    )


class TemplatesItem(BaseModel):
    """One task's slice: exactly one of the three parts is set."""

    site: SiteSlice | None = None
    entity: EntitySlice | None = None
    custom: CustomSlice | None = None


class TemplatesGenerator(DjangoGenerator):
    name = "templates"
    doc = "Django templates: base layout, home, login, one page per surface."
    per_item = True
    slice_model = TemplatesItem
    templates = "templates/templates"

    def slice(self, spec: AppSpec) -> dict[str, TemplatesItem]:
        spec = indexed(spec)
        names = naming.app_names(spec)
        app = names.app
        lists = [s for s in spec.surfaces if s.mode == "list" and s.entity]
        creates = [s for s in spec.surfaces if s.mode == "create" and s.entity]
        customs = [s for s in spec.surfaces if s.mode == "custom"]
        items = {
            "site": TemplatesItem(
                site=SiteSlice(
                    app=app,
                    title=spec.app.label,
                    lists=tuple(
                        NavLink(
                            title=s.label,
                            url_name=names.entities[s.entity].url("list"),
                            access=(names.entities[s.entity].model, "list"),
                        )
                        for s in lists
                        if s.entity in names.entities
                    ),
                    creates=tuple(
                        NavLink(
                            title=s.label,
                            url_name=names.entities[s.entity].url("create"),
                            access=(names.entities[s.entity].model, "create"),
                        )
                        for s in creates
                        if s.entity in names.entities
                    ),
                    customs=tuple(
                        NavLink(
                            title=s.label,
                            url_name=names.customs[s.name].url,
                            access=(names.customs[s.name].view, "open"),
                        )
                        for s in customs
                    ),
                )
            )
        }
        for entity in spec.entities:
            found = entity_slice(spec, app, entity)
            if found is not None:
                items[naming.item_key("entity", entity.name)] = TemplatesItem(entity=found)
        for surface in customs:
            entity = spec.entity(surface.entity) if surface.entity else None
            custom = CustomSlice(
                app=app,
                name=surface.name,
                file=f"{app}/{names.customs[surface.name].template}",
                page=page(spec, entity, surface),
            )
            items[naming.item_key("surface", surface.name)] = TemplatesItem(custom=custom)
        return items

    def generate(self, slice: TemplatesItem, artifacts) -> Generated:
        if slice.site is not None:
            return Generated(files=self.site_files(slice.site))
        if slice.custom is not None:
            custom = slice.custom
            content = self.render(f"{SOURCE}/custom.html.j2", s=custom, page=custom.page)
            return Generated(files=[template_file(custom.app, custom.file, content)])
        assert slice.entity is not None
        return Generated(files=self.entity_files(slice.entity))

    def render(self, name: str, **ctx) -> str:
        return render(
            self.template_dir(),
            name,
            display=display,
            plain=plain,
            url=url_tag,
            flow_url=flow_url_tag,
            may=may,
            **ctx,
        )

    def site_files(self, s: SiteSlice) -> list[GeneratedFile]:
        out = []
        for name in (
            "base.html",
            "home.html",
            "_field.html",
            "_form_errors.html",
            "_pagination.html",
            "_action_results.html",
        ):
            out.append(template_file(s.app, f"{s.app}/{name}", self.render(f"{SOURCE}/{name}.j2", s=s)))
        login = self.render("app/templates/registration/login.html.j2", s=s)
        out.append(template_file(s.app, "registration/login.html", login))
        return out

    def entity_files(self, s: EntitySlice) -> list[GeneratedFile]:
        sources = {
            "list": "entity_list",
            "detail": "entity_detail",
            "create": "entity_form",
            "update": "entity_form",
            "delete": "entity_confirm_delete",
        }
        url_names = s.url_names
        out = []
        for p in s.pages:
            surface_page_ = {"list": s.list, "detail": s.view, "create": s.create, "update": s.edit}.get(p)
            content = self.render(
                f"{SOURCE}/{sources[p]}.html.j2", s=s, page=surface_page_, mode=p, urls=url_names
            )
            out.append(template_file(s.app, s.files[p], content))
        return out


def template_file(app: str, name: str, content: str) -> GeneratedFile:
    """The app's template ``name`` (as Django finds it), headed by a comment saying where the
    user's own version goes: a template there, found first, replaces this one without a merge."""
    folder = naming.TEMPLATES_DIR
    note = f"{{# Generated by DAZZLE. To change it, write {folder}/{name} (see {folder}/README.md). #}}\n"
    return GeneratedFile(f"{app}/templates/{name}", note + content)


def url_tag(target: Redirect, obj: str = "object") -> str:
    """A Django ``{% url %}`` tag for a page (with the record's key when it needs one)."""
    key = f" {obj}.pk" if target.with_pk else ""
    return f'{{% url "{target.url_name}"{key} %}}'


def may(access: tuple[str, str] | None, record: bool = False) -> str:
    """A Django template expression: whether the person may follow a link to a page
    (``access`` as ``wiring.Redirect`` has it). ``record``: the page of the record shown, which
    its view's ``access_object`` answers for (a row rule may allow one record and not another)."""
    if access is None:
        return "True"
    key, operation = access
    return f"access_object.{operation}" if record else f"can.{key}.{operation}"


def flow_url_tag(link: FlowLink) -> str:
    """A Django ``{% url %}`` tag for a flow (at its step when the link names one)."""
    step = f' "{link.step}"' if link.step else ""
    return f'{{% url "{link.url_name}"{step} %}}'


def plain(col: Column) -> Column:
    """The column without links of its own, to sit inside the row's link (anchors don't nest)."""
    return col.model_copy(
        update={"link": None, "link_model": None, "kind": "text" if col.kind == "email" else col.kind}
    )


def display(col: Column, obj: str = "object") -> str:
    """Django template code showing one value: a ref as its target's ``__str__`` (linked to its
    page when there is one), an enum as its label, a bool as yes/no, anything empty as "—"."""
    value = f"{obj}.{col.attr}"
    if col.kind == "enum":
        return f'{{{{ {obj}.get_{col.attr}_display|default:"—" }}}}'
    if col.kind == "bool":
        return f'{{{{ {value}|yesno:"yes,no,—" }}}}'
    if col.kind == "text":
        return f'{{{{ {value}|default:"—" }}}}'
    if col.kind == "longtext":
        return f"{{% if {value} %}}{{{{ {value}|linebreaksbr }}}}{{% else %}}—{{% endif %}}"
    if col.kind == "email":
        return f'{{% if {value} %}}<a href="mailto:{{{{ {value} }}}}">{{{{ {value} }}}}</a>{{% else %}}—{{% endif %}}'
    if col.kind == "ref" and col.link:
        # Linked for those who may open the target's page (``may``), plain text for the others.
        anchor = f'<a href="{{% url "{col.link}" {value}_id %}}">{{{{ {value} }}}}</a>'
        linked = (
            f"{{% if {may((col.link_model, 'read'))} %}}{anchor}{{% else %}}{{{{ {value} }}}}{{% endif %}}"
        )
        return f"{{% if {value}_id %}}{linked}{{% else %}}—{{% endif %}}"
    return f'{{{{ {value}|default_if_none:"—" }}}}'
