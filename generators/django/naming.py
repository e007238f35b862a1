"""Names shared by every Django generator: packages, classes, attributes, URLs, templates.

The one place that decides how a spec name becomes a Python or Django name, so that the
models, forms, views, urls, templates and tests generators agree without reading each other's
output. Two layers:

- derivations of one name (``snake``, ``model_attr``, ``url_name`` ...): what a name becomes
  when nothing else is in its way;
- ``app_names(spec)``: every name of the app at once (``AppNames``), each checked against the
  others of its namespace and against Python, the standard library, the installed packages and
  Django (``reserved``). A name in the way of another keeps its natural form where it came
  first and the later one gets a safe variant (``Item_A``'s pages become ``item-a-2-list``);
  the user-facing names and labels never change. A generator's ``slice`` asks it and hands the
  names on in its slice.

Generated code imports modules, not names (``models.Model``, ``decimal.Decimal``), so an entity
called ``Model`` or ``Decimal`` cannot shadow anything. The module is long because it is the
one place: the page and form helpers at its end are shared by the same generators.
"""

from __future__ import annotations

import functools
import hashlib
import keyword
import re
from collections.abc import Callable, Iterable, Iterator

from pydantic import BaseModel, ConfigDict

from dazzle.ir import AppSpec, Entity, EntityField
from generators.django import reserved

PROJECT_PACKAGE = "config"
"""The Django project package (settings, urls, wsgi, asgi), as cookiecutter-django names it."""
FLOWS_PREFIX = "flows"
"""The first path segment of every experience's flow."""
WEBHOOKS_PREFIX = "webhooks"
"""The first path segment of every event-driven sync's webhook."""
LOOKUP_PREFIX = "lookup"
"""The first path segment of the references' search-as-you-type (``lists.LookupView``)."""
API_PREFIX = "api"
"""The first path segment of the REST API (the ``django_api`` stack's ``<app>/api/urls.py``)."""
API_STACK = "django_api"
"""The stack that adds the REST API to this stack's project."""


def api_enabled(spec: AppSpec) -> bool:
    """Whether the build also has the ``django_api`` stack: then the settings, the site's URLs
    and the requirements make room for ``<app>/api/``."""
    return API_STACK in spec.config.build.stacks


@functools.cache
def snake(name: str) -> str:
    """``CaseNote`` → ``case_note``; ``HTTPLog`` → ``http_log``."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return re.sub(r"_+", "_", s).strip("_").lower() or "x"


def camel(name: str) -> str:
    """``case_note`` → ``CaseNote`` (already-camel names are kept)."""
    parts = [p for p in re.split(r"_+", name) if p]
    return "".join(p[:1].upper() + p[1:] for p in parts) or "X"


def plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def python_identifier(text: str) -> str:
    """Any text → a lower-case identifier usable as a package name."""
    s = re.sub(r"[^0-9a-zA-Z_]+", "_", text).strip("_").lower()
    s = re.sub(r"_+", "_", s)
    if not s:
        s = "app"
    if s[0].isdigit():
        s = "app_" + s
    return s


def capped(name: str, limit: int) -> str:
    """``name`` if it has at most ``limit`` characters, else its start and a hash of the whole:
    file names (255 bytes), PostgreSQL's column names (63) and Django's model names have limits."""
    if len(name) <= limit:
        return name
    return f"{name[: limit - 7].rstrip('_')}_{hashlib.sha1(name.encode()).hexdigest()[:6]}"


FIELD_ATTR_MAX = 56
"""A model attribute is a column name (``<attr>_id`` for a ref): PostgreSQL keeps 63 characters."""
FILE_STEM_MAX = 100
"""Generated file names and per-item task keys (slice, artifact and manifest files) stay short."""


def item_key(kind: str, name: str) -> str:
    """A per-item task's key for a spec name: ``entity_Case``, short enough for a file name."""
    return capped(f"{kind}_{name}", FILE_STEM_MAX)


def app_package(app_name: str) -> str:
    """The Django app package (and app label) for the spec's ``app`` name: never a keyword, a
    built-in, a module of the standard library or of the app's packages, a Django app label or
    a folder of the project; at most ``reserved.APP_LABEL_MAX`` characters."""
    s = capped(python_identifier(app_name), reserved.APP_LABEL_MAX)
    if s in reserved.PYTHON_NAMES or s in reserved.APP_PACKAGE_RESERVED:
        s = f"{s}_app"
    return s


@functools.cache  # a pure function of the name, asked for every field by every generator
def model_attr(field_name: str) -> str:
    """The model attribute for a field: the field name, unless Python or Django reserve it.

    Django forbids trailing underscores and ``__`` in field names, so a reserved name gets a
    ``_field`` suffix instead of the PEP 8 trailing underscore."""
    s = capped(re.sub(r"_{2,}", "_", field_name).strip("_") or "field", FIELD_ATTR_MAX)
    if keyword.iskeyword(s) or s in reserved.FIELD_RESERVED:
        s = f"{s}_field"
    return s


def _per_object(limit: int):
    """Cache a pure function of one IR object by the object's identity (IR nodes are frozen, and
    hashing one would hash its whole tree). The entry holds the object, so an id is never reused
    while its entry lives; past ``limit`` entries the cache starts again (a long ``doit watch``
    links many specs)."""

    def wrap(fn):
        entries: dict[int, tuple[object, object]] = {}

        @functools.wraps(fn)
        def cached(obj):
            hit = entries.get(id(obj))
            if hit is not None and hit[0] is obj:
                return hit[1]
            if len(entries) >= limit:
                entries.clear()
            value = fn(obj)
            entries[id(obj)] = (obj, value)
            return value

        return cached

    return wrap


def field_attrs(entity: Entity) -> dict[str, str]:
    """Field name → model attribute for every field of an entity, distinct within it.

    A field called ``id`` that is not the pk is renamed, since Django's default key is ``id``;
    no attribute takes a name Django derives from another field (``<ref>_id``,
    ``get_<enum>_display``, ``get_next_by_<date>``)."""
    return dict(_field_attrs(entity))  # a copy: callers may change theirs


def derived_attrs(field: EntityField, attr: str) -> tuple[str, ...]:
    """The attributes Django adds to a model for a field with attribute ``attr``."""
    kind = field.type.kind
    if kind in RELATION_KINDS:
        return (f"{attr}_id",)
    if kind == "enum":
        return (f"get_{attr}_display",)
    if kind in ("date", "datetime") and (field.is_required or field.auto_add or field.auto_update):
        return (f"get_next_by_{attr}", f"get_previous_by_{attr}")
    return ()


@_per_object(20_000)  # every generator's slice asks, several times per entity
def _field_attrs(entity: Entity) -> dict[str, str]:
    has_pk = entity.pk is not None
    wanted: dict[str, str] = {}
    for f in entity.fields:
        attr = model_attr(f.name)
        if attr == "id" and not f.pk and not has_pk:
            attr = "id_field"
        wanted.setdefault(f.name, attr)
    # The methods Django adds for the fields as they would be named (``get_<enum>_display``,
    # ``get_next_by_<date>``): no field may take those, wherever it stands. A ``<ref>_id`` is
    # taken in field order, as before.
    methods = {
        d: f.name
        for f in entity.fields
        if f.type.kind not in RELATION_KINDS
        for d in derived_attrs(f, wanted[f.name])
    }
    # Distinct in lower case: database column names are not case-sensitive.
    taken: set[str] = set()
    out: dict[str, str] = {}
    for f in entity.fields:
        if f.name in out:
            continue
        base = attr = wanted[f.name]
        n = 2
        while (
            attr.lower() in taken
            or methods.get(attr, f.name) != f.name
            or any(d.lower() in taken for d in derived_attrs(f, attr))
        ):
            attr, n = f"{base}_{n}", n + 1
        taken.add(attr.lower())
        taken.update(d.lower() for d in derived_attrs(f, attr))
        out[f.name] = attr
    return out


def choice_member(value: str) -> str:
    """Enum value → TextChoices member name (upper case, never a keyword or dunder)."""
    s = re.sub(r"[^0-9A-Za-z_]+", "_", value).upper().strip("_") or "VALUE"
    if s[0].isdigit() or keyword.iskeyword(s) or s in {"LABEL", "VALUE", "NAME", "DO_NOT_CALL_IN_TEMPLATES"}:
        s = f"V_{s}"
    return s


def choice_members(values: tuple[str, ...]) -> dict[str, str]:
    """Enum value → member name, distinct within the enum."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for v in values:
        m, base, n = choice_member(v), choice_member(v), 2
        while m in taken:
            m, n = f"{base}_{n}", n + 1
        taken.add(m)
        out[v] = m
    return out


def surface_url_name(surface_name: str) -> str:
    """A custom surface's page as nothing else is in its way: ``surface-vat-check``. The names
    of models, views, forms, URLs and templates to use are ``app_names``' (below)."""
    return "surface-" + surface_name.replace("_", "-")


# ---- pages and forms: which screens an entity gets, which inputs a surface's form holds
# (shared by forms, views, urls, templates and tests so that they cannot disagree)

RELATION_KINDS = ("ref", "user")
"""Field kinds stored as a foreign key: ``ref`` to an entity, ``user`` to the user model."""

STRING_KINDS = ("str", "text", "email", "enum")
"""Stored as text: an empty value is ``""`` (Django's convention), not NULL."""


def filled_on_save(field: EntityField) -> bool:
    """A date or datetime Django fills on save (``auto_now_add``/``auto_now``): not editable.
    An automatic ``user`` field is not: it may stay empty (a record a visitor made)."""
    return (field.auto_add or field.auto_update) and field.type.kind != "user"


def null_blank(field: EntityField) -> tuple[bool, bool]:
    """(``null``, ``blank``) of the model field (models.py declares them, the ``openapi``
    stack describes them): an optional field may be blank, and is NULL unless it is text — a
    unique text that may be empty stores a blank as NULL, so two blanks never clash. A
    required field, one filled on save, a bool (two states) and an enum with a default (always
    one of its values: no blank "---------" choice) are neither."""
    kind = field.type.kind
    chosen = kind == "enum" and field.default is not None
    if field.is_required or filled_on_save(field) or kind == "bool" or chosen:
        return False, False
    unique = field.unique or field.unique_nullable
    return kind not in STRING_KINDS or unique, True


USER_TARGET = "settings.AUTH_USER_MODEL"
"""Where ``_related_names`` files the reverse names of ``user`` fields: the user model."""

SURFACE_PAGES = {"list": "list", "view": "detail", "create": "create", "edit": "update"}
"""Surface mode → the page it asks for."""


def entity_pages(modes) -> tuple[str, ...]:
    """The pages an entity gets from the modes of its surfaces, in URL order.

    ``delete`` is a confirmation page offered from the detail or the edit page, so it exists
    exactly where one of those does. No surface, no page (the admin still has the entity)."""
    wanted = {SURFACE_PAGES[m] for m in modes if m in SURFACE_PAGES}
    if wanted & {"detail", "update"}:
        wanted.add("delete")
    return tuple(p for p in ("list", "create", "detail", "update", "delete") if p in wanted)


def form_editable(field: EntityField, mode: str) -> bool:
    """Whether a form of ``mode`` (create/edit) may hold the field. Generated keys and
    auto dates are filled by the framework; a primary key is set once, on create."""
    if field.auto_add or field.auto_update:
        return False
    if field.pk:
        return mode == "create" and not field.has_default
    return True


def form_field_names(entity: Entity, mode: str, surface_fields) -> tuple[str, ...]:
    """Field names of the create/edit form of a surface, in order: the surface's own editable
    fields, then — for a create form — every required field without a default that the surface
    leaves out (REFERENCE §Surfaces), so that a record can always be saved.

    ``surface_fields`` are the surface's field names in order (``[f.name for f in s.fields]``)."""
    names: list[str] = []
    for name in surface_fields:
        field = entity.field(name)
        if field is not None and name not in names and form_editable(field, mode):
            names.append(name)
    if mode == "create":
        for field in entity.fields:
            if (
                field.is_required
                and not field.has_default
                and field.name not in names
                and form_editable(field, mode)
            ):
                names.append(field.name)
    return tuple(names)


TEXT_KINDS = ("str", "text", "email")
"""Field types a list page searches with ``?q=``."""


def search_attrs(entity: Entity, surface_fields) -> tuple[str, ...]:
    """Model attributes the list page searches: the text columns of its list surface."""
    attrs = field_attrs(entity)
    out = []
    for name in surface_fields:
        field = entity.field(name)
        if field is not None and field.type.kind in TEXT_KINDS and attrs[name] not in out:
            out.append(attrs[name])
    return tuple(out)


def name_field(entity: Entity) -> EntityField | None:
    """The field that names a record (its ``__str__``, what a reference to it is sorted and
    searched by): the first required string field, else the first optional one, else the first
    long text. A name reads better than an address, so ``str`` fields come before ``email``."""
    texts = sorted(
        (f for f in entity.fields if f.type.kind in ("str", "email")), key=lambda f: f.type.kind == "email"
    )
    required = [f for f in texts if f.is_required]
    if required or texts:
        return (required or texts)[0]
    return next((f for f in entity.fields if f.type.kind == "text"), None)


def filterset_class(model: str) -> str:
    """The django-filter FilterSet of a model's list, in ``<app>/lists.py``."""
    return f"{model}Filters"


def pk_converter(entity: Entity) -> str:
    """The URL path converter for an entity's key, so that a malformed id is a 404."""
    pk = entity.pk
    if pk is None or pk.type.kind == "int":
        return "int"
    return "uuid" if pk.type.kind == "uuid" else "str"


# ---- data layer: verbose names, choice labels, admin and app classes, constraint names


def humanize(name: str) -> str:
    """``contact_email`` → ``contact email``; ``CaseNote`` → ``case note`` (Django's own style
    for verbose names, which templates capitalise)."""
    return snake(name).replace("_", " ")


def verbose_name(entity: Entity) -> str:
    """The model's ``verbose_name``: the entity's title as written, else its name humanised."""
    return entity.title or humanize(entity.name)


def verbose_name_plural(entity: Entity) -> str:
    """``Support case`` → ``Support cases``: the last word of the verbose name made plural."""
    words = verbose_name(entity).rsplit(" ", 1)
    words[-1] = plural(words[-1])
    return " ".join(words)


def choice_label(value: str) -> str:
    """An enum value's label: ``first_line`` → ``First line``."""
    text = value.replace("_", " ").strip() or value
    return text[:1].upper() + text[1:]


def admin_class(model: str) -> str:
    """``Case`` → ``CaseAdmin`` (module-level names in admin.py; models are ``models.Case``):
    distinct, since model classes are."""
    return f"{model}Admin"


def app_config_class(app: str) -> str:
    """``helpdesk`` → ``HelpdeskConfig`` in ``<app>/apps.py`` (never Django's ``AppConfig``,
    which apps.py imports)."""
    name = f"{camel(app)}Config"
    return "AppAppConfig" if name == "AppConfig" else name


def constraint_name(app: str, entity_name: str, kind: str, attrs) -> str:
    """A stable, valid name of at most 30 characters for a composite ``unique`` (``_uq``) or
    ``index`` (``_ix``): readable prefix, then a hash of app, entity and fields, so two
    constraints never share a name across the project's database."""
    suffix = "uq" if kind == "unique" else "ix"
    key = "|".join([app, entity_name, kind, *attrs]).encode("utf-8")
    digest = hashlib.sha1(key).hexdigest()[:6]
    base = re.sub(r"_+", "_", "_".join([snake(entity_name), *attrs]).lower()).strip("_")
    if not base[:1].isalpha():
        base = "c" + base
    return f"{base[:20].rstrip('_')}_{digest}_{suffix}"


def custom_field_attrs(entity: Entity | None, names) -> dict[str, str]:
    """Field name → attribute of a custom surface's form (``cleaned_data`` key): the entity's
    attribute when the surface uses an entity that has the field, else a safe identifier."""
    attrs = field_attrs(entity) if entity is not None else {}
    out: dict[str, str] = {}
    for name in names:
        if name in out:
            continue
        attr = attrs.get(name) or model_attr(name)
        base, n = attr, 2
        while attr in out.values():
            attr, n = f"{base}_{n}", n + 1
        out[name] = attr
    return out


# The places for the user's own code: user-owned, written once, imported by the generated code.
SETTINGS_EXTRA_MODULE = "settings_extra"  # config/settings_extra.py, star-imported at the end of settings
URLS_EXTRA_MODULE = "urls_extra"  # <app>/urls_extra.py, included before every generated route
VIEWS_EXTRA_MODULE = "views_extra"  # <app>/views_extra.py, the user's own views
MIXINS_MODULE = "mixins"  # <app>/mixins.py, mixed into the generated views and forms by name
TEMPLATES_DIR = "templates"  # next to manage.py: first in TEMPLATES DIRS, so it overrides
STATIC_DIR = "static"  # next to manage.py: in STATICFILES_DIRS, found before the app's files
CUSTOM_PLACES = {
    "settings_extra": SETTINGS_EXTRA_MODULE,
    "urls_extra": URLS_EXTRA_MODULE,
    "views_extra": VIEWS_EXTRA_MODULE,
    "mixins": MIXINS_MODULE,
    "templates_dir": TEMPLATES_DIR,
    "static_dir": STATIC_DIR,
}
"""The places' names as the templates that mention them take them (``[[ urls_extra ]]``)."""


def mixin_class(generated_class: str) -> str:
    """``CaseListView`` → ``CaseListViewMixin``: the class of ``mixins.py`` mixed into it."""
    return f"{generated_class}Mixin"


# ---- every name of the app at once, free of clashes


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EntityNames(Frozen):
    """The names of one entity's model and pages."""

    model: str  # the model class (Django's model name is its lower case)
    stem: str  # snake case, distinct per app: URL names, template files, test helpers
    segment: str  # the first path segment of its pages
    tests_class: str  # the test case of its pages
    choices: dict[str, str] = {}  # enum field name → its TextChoices class
    related: dict[str, str] = {}  # ref field name → its related_name on the target
    context_object: str | None = None  # set when the model's own name would hide a template variable

    def url(self, page: str) -> str:
        """The URL name of a page (list, create, detail, update, delete): ``case-list``."""
        return f"{self.stem.replace('_', '-')}-{page}"

    def view(self, page: str) -> str:
        return f"{self.model}{page.capitalize()}View"

    def form(self, mode: str) -> str:
        """The ModelForm of the create or edit (``update``) surface."""
        return f"{self.model}{'Create' if mode == 'create' else 'Update'}Form"

    def template(self, app: str, page: str) -> str:
        suffix = "confirm_delete" if page == "delete" else page
        return f"{app}/{self.stem}_{suffix}.html"

    @property
    def maker(self) -> str:
        """The test helper that saves a row: ``make_case_note``."""
        return f"make_{self.stem}"

    @property
    def model_name(self) -> str:
        return self.model.lower()


class CustomNames(Frozen):
    """The names of a custom surface's page."""

    view: str
    form: str
    url: str
    segment: str
    template: str  # below ``<app>/``: ``surfaces/<name>.html``


class FlowNames(Frozen):
    url: str  # the entry URL's name
    step_url: str  # the name of a step's URL
    segment: str  # below ``flows/``


class SyncNames(Frozen):
    command: str  # the management command running it
    url: str  # its webhook's URL name
    secret_env: str  # the variable holding its webhook's shared secret


class ServiceNames(Frozen):
    client_class: str
    client: str  # the module-level client object
    env: str  # the prefix of its environment variables


class AppNames(Frozen):
    app: str
    entities: dict[str, EntityNames]  # by entity name, in spec order
    customs: dict[str, CustomNames] = {}  # by custom surface name
    flows: dict[str, FlowNames] = {}  # by experience name
    processes: dict[str, str] = {}  # "<experience>.<step>" → its function in processes.py
    syncs: dict[str, SyncNames] = {}  # "<integration>.<sync>"
    services: dict[str, ServiceNames] = {}
    foreign: dict[str, str] = {}  # foreign model → its class in foreign_models.py
    test_files: dict[str, str] = {}  # DSL module → its test file


PAGES = ("list", "create", "detail", "update", "delete")


def assign(
    keys: Iterable,
    candidates: Callable[[object], Iterator[str]],
    taken: set[str],
    fold: Callable[[str], str] = str,
    allowed: Callable[[object, str], bool] = lambda key, name: True,
) -> dict:
    """Key → the first of its candidate names that is free. Every key's first candidate is
    claimed in order before any key falls back, so a fallback never takes a later key's own
    name; ``fold`` maps a name to what must be distinct (its lower case, for Django's model
    names); ``allowed`` rejects a name for one key only."""
    out: dict = {}
    later = []
    for key in keys:
        first = next(candidates(key))
        if fold(first) in taken or not allowed(key, first):
            later.append(key)
        else:
            taken.add(fold(first))
            out[key] = first
    for key in later:
        out[key] = next(n for n in candidates(key) if fold(n) not in taken and allowed(key, n))
        taken.add(fold(out[key]))
    return out


def numbered(*first: str, then: Callable[[int], str]) -> Iterator[str]:
    yield from first
    n = 2
    while True:
        yield then(n)
        n += 1


def _model_candidates(name: str) -> Iterator[str]:
    base = re.sub(r"_{2,}", "_", name).strip("_") or "Entity"
    if base[0].isdigit():
        base = f"E{base}"
    if len(base) > reserved.MODEL_NAME_MAX - 8:
        base = f"{base[: reserved.MODEL_NAME_MAX - 16]}{hashlib.sha1(name.encode()).hexdigest()[:6]}"
    natural = base if base not in reserved.PYTHON_NAMES and base not in reserved.MODELS_MODULE else None
    return numbered(*([natural] if natural else []), f"{base}Model", then=lambda n: f"{base}{n}")


def _segment_candidates(stem: str) -> Iterator[str]:
    many, one = plural(stem).replace("_", "-"), stem.replace("_", "-")
    return numbered(many, one, then=lambda n: f"{many}-{n}")


def _entity_names(spec: AppSpec) -> dict[str, EntityNames]:
    entities = list(spec.entities)
    # Django names a model by its lower case: that is what must be distinct. Python's names are
    # kept out by the candidates themselves.
    models = assign([e.name for e in entities], _model_candidates, set(), fold=str.lower)

    def stem_candidates(name: str) -> Iterator[str]:
        stem = capped(snake(name), FILE_STEM_MAX - 20)  # room for `_confirm_delete.html`
        return numbered(stem, then=lambda k: f"{stem}_{k}")

    stems = assign([e.name for e in entities], stem_candidates, set())
    segments = assign(
        [e.name for e in entities],
        lambda n: _segment_candidates(stems[n]),
        set(reserved.SITE_SEGMENTS) | {FLOWS_PREFIX, WEBHOOKS_PREFIX, LOOKUP_PREFIX, API_PREFIX},
    )
    tests = assign(
        [e.name for e in entities],
        lambda n: numbered(f"{camel(n)}PagesTests", then=lambda k: f"{camel(n)}{k}PagesTests"),
        set(),
    )
    # TextChoices classes share models.py's module level with the models; a class body must not
    # hide its own choices behind a field attribute of that name.
    module_level = set(models.values()) | reserved.MODELS_MODULE | reserved.PYTHON_NAMES
    choices: dict[str, dict[str, str]] = {}
    for e in entities:
        attrs = set(field_attrs(e).values())
        enums = [f for f in e.fields if f.type.kind == "enum"]
        natural = models[e.name]
        found = assign(
            [f.name for f in enums],
            lambda f, natural=natural: numbered(
                f"{natural}{camel(f)}",
                f"{natural}{camel(f)}Choices",
                then=lambda k: f"{natural}{camel(f)}Choices{k}",
            ),
            module_level,
            allowed=lambda key, name, attrs=attrs: name not in attrs,
        )
        choices[e.name] = found
    related = _related_names(spec, stems)
    return {
        e.name: EntityNames(
            model=models[e.name],
            stem=stems[e.name],
            segment=segments[e.name],
            tests_class=tests[e.name],
            choices=choices[e.name],
            related=related.get(e.name, {}),
            context_object="object" if models[e.name].lower() in reserved.TEMPLATE_CONTEXT else None,
        )
        for e in entities
    }


def _related_names(spec: AppSpec, stems: dict[str, str]) -> dict[str, dict[str, str]]:
    """Entity → {ref field → related_name}: distinct on each target, and never a name the
    target's own fields or Django's methods for them already take."""
    by_name = {e.name: e for e in spec.entities}
    taken: dict[str, set[str]] = {}
    for e in spec.entities:
        attrs = field_attrs(e)
        names = set(attrs.values()) | reserved.MODEL_ATTRIBUTES
        names.update(d for f in e.fields for d in derived_attrs(f, attrs[f.name]))
        taken[e.name] = names
    taken[USER_TARGET] = set(reserved.USER_MODEL_ATTRIBUTES)
    out: dict[str, dict[str, str]] = {}
    for e in spec.entities:
        for f in e.fields:
            target = f.type.ref if f.type.kind == "ref" else USER_TARGET if f.type.kind == "user" else None
            if target is None or f.name in out.get(e.name, {}):
                continue
            base = f"{stems[e.name]}_{model_attr(f.name)}_set"
            used = taken.setdefault(target, set()) if target in by_name or target == USER_TARGET else set()
            name, n = base, 2
            while name in used:
                name, n = f"{base[: -len('_set')]}_{n}_set", n + 1
            used.add(name)
            out.setdefault(e.name, {})[f.name] = name
    return out


def _test_file_stem(module: str) -> str:
    """``billing.tax`` → ``test_billing_tax``; any character a module name cannot hold → ``_``."""
    stem = "test_" + (re.sub(r"\W+", "_", module.replace(".", "_")).strip("_") or "pages")
    if not stem.isidentifier():
        stem = "test_" + (re.sub(r"[^0-9A-Za-z]+", "_", stem[5:]).strip("_") or "pages")
    return capped(stem, FILE_STEM_MAX)


def app_names(spec: AppSpec) -> AppNames:
    """Every generated name of the app (see the module's doc); the same object for one spec."""
    return _app_names(getattr(spec, "spec", spec))  # an IndexedSpec: the spec it wraps


@_per_object(16)
def _app_names(spec: AppSpec) -> AppNames:
    entities = _entity_names(spec)
    url_names = (
        {"home", "lookup"} | reserved.AUTH_URL_NAMES | {n.url(p) for n in entities.values() for p in PAGES}
    )
    customs = [s.name for s in spec.surfaces if s.mode == "custom"]
    view_classes = set(reserved.VIEWS_MODULE) | {n.view(p) for n in entities.values() for p in PAGES}
    form_classes = set(reserved.FORMS_MODULE) | {
        n.form(m) for n in entities.values() for m in ("create", "edit")
    }
    segments = (
        {n.segment for n in entities.values()}
        | reserved.SITE_SEGMENTS
        | {FLOWS_PREFIX, WEBHOOKS_PREFIX, LOOKUP_PREFIX, API_PREFIX}
    )

    def views(s):
        base = camel(s)
        return numbered(f"{base}View", then=lambda k: f"{base}Surface{k if k > 2 else ''}View")

    def forms_(s):
        base = camel(s)
        return numbered(f"{base}Form", then=lambda k: f"{base}Surface{k if k > 2 else ''}Form")

    def custom_segment(s):
        segment = s.replace("_", "-")
        return numbered(segment, then=lambda k: segment + "-page" * (k - 1))

    def surface_url(s):
        return numbered(surface_url_name(s), then=lambda k: f"{surface_url_name(s)}-{k}")

    def template(s):
        stem = capped(s, FILE_STEM_MAX)
        return numbered(f"surfaces/{stem}.html", then=lambda k: f"surfaces/{stem}_{k}.html")

    custom_views = assign(customs, views, view_classes)
    custom_forms = assign(customs, forms_, form_classes)
    custom_urls = assign(customs, surface_url, url_names)
    custom_segments = assign(customs, custom_segment, segments)
    custom_templates = assign(customs, template, set(), fold=str.lower)
    experiences = [e.name for e in spec.experiences]
    # A flow takes two URL names, its own and its steps' (``<name>-step``): both must be free.
    flow_bases: dict[str, str] = {}
    for e in experiences:
        base = "flow-" + e.replace("_", "-")
        found = next(
            n
            for n in numbered(base, then=lambda k: f"{base}-{k}")
            if n not in url_names and f"{n}-step" not in url_names
        )
        url_names.update((found, f"{found}-step"))
        flow_bases[e] = found
    flows = {
        e: FlowNames(url=flow_bases[e], step_url=f"{flow_bases[e]}-step", segment=e.replace("_", "-"))
        for e in experiences
    }
    steps = [f"{e.name}.{s.name}" for e in spec.experiences for s in e.steps if s.kind == "process"]
    processes = assign(
        steps,
        lambda key: numbered(
            "_".join(python_identifier(p) for p in key.split(".", 1)),
            then=lambda k: "_".join(python_identifier(p) for p in key.split(".", 1)) + f"_{k}",
        ),
        set(reserved.PYTHON_NAMES),
    )
    syncs = _sync_names(spec, url_names)
    services = _service_names(spec)
    foreign = assign(
        [f.name for f in spec.foreign_models],
        lambda n: numbered(n, f"{n}Record", then=lambda k: f"{n}Record{k}"),
        set(reserved.FOREIGN_MODULE) | reserved.PYTHON_NAMES | {s.client_class for s in services.values()},
    )
    modules = list(dict.fromkeys(e.module for e in spec.entities))
    test_files = assign(
        modules,
        lambda m: numbered(f"{_test_file_stem(m)}.py", then=lambda k: f"{_test_file_stem(m)}_{k}.py"),
        {"test_site.py", "support.py", "__init__.py"},
        fold=str.lower,
    )
    return AppNames(
        app=app_package(spec.app.name),
        entities=entities,
        customs={
            s: CustomNames(
                view=custom_views[s],
                form=custom_forms[s],
                url=custom_urls[s],
                segment=custom_segments[s],
                template=custom_templates[s],
            )
            for s in customs
        },
        flows=flows,
        processes=processes,
        syncs=syncs,
        services=services,
        foreign=foreign,
        test_files=test_files,
    )


def _sync_names(spec: AppSpec, url_names: set[str]) -> dict[str, SyncNames]:
    keys = [(i.name, s.name) for i in spec.integrations for s in i.syncs]

    def command(k):
        stem = capped(f"sync_{python_identifier(k[0])}_{python_identifier(k[1])}", FILE_STEM_MAX)
        return numbered(stem, then=lambda n: f"{stem}_{n}")

    commands = assign(keys, command, {"run_syncs"})
    urls = assign(
        keys,
        lambda k: numbered(
            f"webhook-{k[0]}-{k[1]}".replace("_", "-"),
            then=lambda n: f"webhook-{k[0]}-{k[1]}-{n}".replace("_", "-"),
        ),
        url_names,
    )
    secrets = assign(
        keys,
        lambda k: numbered(
            f"{k[0]}_{k[1]}_WEBHOOK_SECRET".upper(),
            then=lambda n: f"{k[0]}_{k[1]}_{n}_WEBHOOK_SECRET".upper(),
        ),
        set(),
    )
    return {
        f"{i}.{s}": SyncNames(command=commands[(i, s)], url=urls[(i, s)], secret_env=secrets[(i, s)])
        for i, s in keys
    }


def _service_names(spec: AppSpec) -> dict[str, ServiceNames]:
    names = [s.name for s in spec.services]
    classes = assign(
        names,
        lambda n: numbered(f"{camel(n)}Client", then=lambda k: f"{camel(n)}{k}Client"),
        set(reserved.SERVICES_MODULE) | reserved.PYTHON_NAMES,
    )
    clients = assign(
        names,
        lambda n: numbered(
            f"{python_identifier(n)}_client", then=lambda k: f"{python_identifier(n)}_{k}_client"
        ),
        set(reserved.SERVICES_MODULE),
    )
    envs = assign(
        names,
        lambda n: numbered(service_env(n), then=lambda k: f"{service_env(n)}_{k}"),
        {"SERVICE"},
    )
    return {n: ServiceNames(client_class=classes[n], client=clients[n], env=envs[n]) for n in names}


def service_env(service: str) -> str:
    """The prefix of a service's variables as its client derives it: ``vat-api`` → ``VAT_API``."""
    return re.sub(r"[^0-9A-Za-z]+", "_", service).upper()
