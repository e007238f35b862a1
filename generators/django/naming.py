"""Names shared by every Django generator: packages, classes, attributes, URLs, templates.

One place decides how a spec name becomes a Python or Django name, so that the models, forms,
views, urls and templates generators agree without reading each other's output. Generated code
imports modules, not names (``models.Model``, ``decimal.Decimal``), so an entity called
``Model`` or ``Decimal`` cannot shadow anything.
"""

from __future__ import annotations

import builtins
import keyword
import re
from functools import cache

from dazzle.ir import Entity, EntityField

PROJECT_PACKAGE = "config"
"""The Django project package (settings, urls, wsgi, asgi), as cookiecutter-django names it."""

# Module names an app package must not take: it would shadow them on sys.path.
_RESERVED_PACKAGES = {
    "django",
    "config",
    "test",
    "tests",
    "site",
    "admin",
    "auth",
    "json",
    "email",
    "types",
    "typing",
    "static",
    "templates",
    "migrations",
    "manage",
    "string",
    "random",
    "time",
    "datetime",
    "decimal",
    "uuid",
    "io",
    "os",
    "sys",
    "re",
    "logging",
    "collections",
    "functools",
    "http",
    "html",
    "code",
    "gunicorn",
    "whitenoise",
    "psycopg",
    "contextlib",
    "abc",
    "enum",
    "copy",
    "secrets",
    "select",
}

# Attribute names a Django model field must not take.
_RESERVED_ATTRS = {
    "pk",
    "objects",
    "save",
    "delete",
    "clean",
    "check",
    "full_clean",
    "clean_fields",
    "Meta",
    "DoesNotExist",
    "MultipleObjectsReturned",
    "refresh_from_db",
    "validate_unique",
    "validate_constraints",
    "serializable_value",
    "get_deferred_fields",
    "from_db",
    "save_base",
    "get_absolute_url",
    "unique_error_message",
    "date_error_message",
    "prepare_database_save",
    "adelete",
    "asave",
    "arefresh_from_db",
    "_meta",
    "_state",
    # Modules that generated class bodies read (``models.CharField``, ``forms.DateInput``,
    # ``decimal.Decimal``, ``uuid.uuid4``): a field of that name would shadow them there.
    "models",
    "forms",
    "decimal",
    "uuid",
}


@cache
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


def app_package(app_name: str) -> str:
    """The Django app package for the spec's ``app`` name."""
    s = python_identifier(app_name)
    if keyword.iskeyword(s) or s in _RESERVED_PACKAGES or hasattr(builtins, s):
        s = f"{s}_app"
    return s


def model_class(entity_name: str) -> str:
    """Entity names are identifiers and `dazzle check` rejects keywords; the class keeps it."""
    return entity_name


@cache  # a pure function of the name, asked for every field by every generator
def model_attr(field_name: str) -> str:
    """The model attribute for a field: the field name, unless Python or Django reserve it.

    Django forbids trailing underscores and ``__`` in field names, so a reserved name gets a
    ``_field`` suffix instead of the PEP 8 trailing underscore."""
    s = re.sub(r"_{2,}", "_", field_name).strip("_") or "field"
    if keyword.iskeyword(s) or s in _RESERVED_ATTRS:
        s = f"{s}_field"
    return s


# field_attrs by entity object: every generator's slice asks for it, several times per entity.
# The entry holds the entity, so an id is never reused while its entry lives.
_field_attrs_cache: dict[int, tuple[Entity, dict[str, str]]] = {}


def field_attrs(entity: Entity) -> dict[str, str]:
    """Field name → model attribute for every field of an entity, distinct within it.

    A field called ``id`` that is not the pk is renamed, since Django's default key is ``id``."""
    cached = _field_attrs_cache.get(id(entity))
    if cached is not None and cached[0] is entity:
        return dict(cached[1])
    if len(_field_attrs_cache) >= 20_000:  # a long `doit watch` links many specs
        _field_attrs_cache.clear()
    out = _field_attrs(entity)
    _field_attrs_cache[id(entity)] = (entity, out)
    return dict(out)


def _field_attrs(entity: Entity) -> dict[str, str]:
    taken: set[str] = set()
    has_pk = entity.pk is not None
    out: dict[str, str] = {}
    for f in entity.fields:
        attr = model_attr(f.name)
        if attr == "id" and not f.pk and not has_pk:
            attr = "id_field"
        base, n = attr, 2
        while attr in taken or (f.type.kind == "ref" and f"{attr}_id" in taken):
            attr, n = f"{base}_{n}", n + 1
        taken.add(attr)
        if f.type.kind == "ref":
            taken.add(f"{attr}_id")
        out[f.name] = attr
    return out


def related_name(entity: Entity, field: EntityField) -> str:
    """Reverse accessor for a ref: distinct per (entity, field), so two refs to one target
    never clash."""
    return f"{snake(entity.name)}_{model_attr(field.name)}_set"


def choices_class(entity: Entity, field: EntityField) -> str:
    """The ``TextChoices`` class for an enum field, nested nowhere: ``CaseState``."""
    return f"{entity.name}{camel(field.name)}"


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


# ---- forms, views, urls, templates: one name per surface role


def url_segment(entity_name: str) -> str:
    """``CaseNote`` → ``case-notes`` (the path prefix of an entity's pages)."""
    return plural(snake(entity_name)).replace("_", "-")


def url_name(entity_name: str, page: str) -> str:
    """``page`` is one of list, detail, create, update, delete → ``case-list`` …"""
    return f"{snake(entity_name).replace('_', '-')}-{page}"


def surface_url_name(surface_name: str) -> str:
    """A custom surface's page: ``surface-vat-check``."""
    return "surface-" + surface_name.replace("_", "-")


def form_class(entity_name: str, mode: str) -> str:
    """``create`` → ``CaseCreateForm``, ``edit`` → ``CaseUpdateForm``."""
    return f"{entity_name}{'Create' if mode == 'create' else 'Update'}Form"


def custom_form_class(surface_name: str) -> str:
    return f"{camel(surface_name)}Form"


def view_class(entity_name: str, page: str) -> str:
    """``page`` list/detail/create/update/delete → ``CaseListView`` …"""
    return f"{entity_name}{page.capitalize()}View"


def custom_view_class(surface_name: str) -> str:
    return f"{camel(surface_name)}View"


def template_name(app: str, entity_name: str, page: str) -> str:
    """``helpdesk/case_list.html``, ``_detail``, ``_create``, ``_update``, ``_confirm_delete``."""
    suffix = "confirm_delete" if page == "delete" else page
    return f"{app}/{snake(entity_name)}_{suffix}.html"


def custom_template_name(app: str, surface_name: str) -> str:
    return f"{app}/surfaces/{surface_name}.html"


# ---- pages and forms: which screens an entity gets, which inputs a surface's form holds
# (shared by forms, views, urls, templates and tests so that they cannot disagree)

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


def admin_class(entity_name: str) -> str:
    """``Case`` → ``CaseAdmin`` (module-level names in admin.py; models are ``models.Case``)."""
    return f"{entity_name}Admin"


def app_config_class(app: str) -> str:
    """``helpdesk`` → ``HelpdeskConfig`` in ``<app>/apps.py``."""
    return f"{camel(app)}Config"


def constraint_name(app: str, entity_name: str, kind: str, attrs) -> str:
    """A stable, valid name of at most 30 characters for a composite ``unique`` (``_uq``) or
    ``index`` (``_ix``): readable prefix, then a hash of app, entity and fields, so two
    constraints never share a name across the project's database."""
    import hashlib

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


def mixin_class(generated_class: str) -> str:
    """``CaseListView`` → ``CaseListViewMixin``: the class of ``mixins.py`` mixed into it."""
    return f"{generated_class}Mixin"
