"""Hypothesis strategies for random *valid* DAZZLE projects, written as a new user might.

``projects()`` draws a whole project — ``dazzle.toml`` and one to four ``.dsl`` files — as
source text. Names come from pools that are each somebody's trap: Python keywords and
built-ins, standard-library modules, Django's own names (``User``, ``Meta``, ``objects``,
``pk``, ``form``...), the grammar's keywords, names the generators derive (``ItemCreateForm``,
``ItemState``), near-collisions (``ItemA``/``Item_A``, ``Bus``/``Buse``, ``Item``/``ITEM``),
underscores at the ends, long names; titles and labels from any printable text, long ones
included. Entities get every type and modifier (valid combinations only), refs to any entity —
themselves included, required ones in cycles sometimes — composite ``unique``/``index`` lines;
surfaces of every mode with sections, labels and options; custom surfaces, experiences with
surface and process steps; inline services, foreign models and integrations whose syncs
(scheduled or event-driven) fill entities, one of them run by a custom surface's action;
modules in folders, with odd file names, linked by ``use``.

Now and then (``mistake=True``) an entity gets a Python keyword for a name: the one name the
reference says ``dazzle check`` must refuse, with its location.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

ENTITY_NAMES = (
    # near-collisions once slugged, pluralised or lower-cased
    "Item",
    "ItemA",
    "Item_A",
    "ITEM",
    "item",
    "Bus",
    "Buse",
    "Category",
    "Categorie",
    "HTTPLog",
    "HttpLog",
    "Http_Log",
    "Items",
    # Python built-ins and the standard library
    "object",
    "Exception",
    "List",
    "super",
    "type",
    "property",
    "Decimal",
    "Path",
    "datetime",
    # Django's names and what its templates and views hold
    "User",
    "Group",
    "Permission",
    "Session",
    "ContentType",
    "Model",
    "Meta",
    "Form",
    "View",
    "Request",
    "Messages",
    "Perms",
    "Paginator",
    "Object",
    "models",
    "forms",
    "uuid",
    # names of what the generators derive, and of the URL kinds
    "ItemState",
    "ItemCreateForm",
    "ItemListView",
    "ItemAdmin",
    "HomeView",
    "Flow",
    "Surface",
    "Webhook",
    "Home",
    # underscores, digits, the grammar's own words, length
    "_Hidden",
    "Big__Thing",
    "Trail_",
    "A1",
    "entity",
    "surface",
    "field",
    "status",
    "E" + "x" * 110,
)
FIELD_NAMES = (
    "name",
    "Name",
    "NAME",
    "title",
    "id",
    "pk",
    "self",
    "objects",
    "delete",
    "save",
    "Meta",
    "clean",
    "check",
    "defaults",
    "model",
    "models",
    "forms",
    "form",
    "data",
    "record",
    "user",
    "request",
    "object",
    "fields",
    "class",
    "def",
    "None",
    "in",
    "type",
    "list",
    "str",
    "int",
    "super",
    "status",
    "mode",
    "field",
    "kind",
    "when",
    "text",
    "owner",
    "key",
    "unique",
    "index",
    "get_state_display",
    "state_id",
    "x__y",
    "_x",
    "x_",
    "a1",
    "item",
    "f" + "y" * 90,
)
ENUM_VALUES = (
    "a",
    "A",
    "b",
    "class",
    "None",
    "True",
    "def",
    "label",
    "value",
    "name",
    '"x y"',
    '"x-y"',
    '"café"',
    '"1st"',
    '"_p"',
    '"!!!"',
    '"日本"',
    "open",
    "OPEN",
    "done",
    '""',
)
APP_NAMES = (
    "shop",
    "pathlib",
    "sqlite3",
    "asgiref",
    "sessions",
    "messages",
    "admin",
    "auth",
    "django",
    "config",
    "test",
    "site",
    "typing",
    "class",
    "app",
    "manage",
    "static",
    "x" * 80,
)
SURFACE_NAMES = ("home", "list", "flows", "admin", "static", "item_list", "item_create", "a_b", "class")
EXPERIENCE_NAMES = ("billing", "billing_step", "a", "a_b", "list", "flow", "class")
FILE_NAMES = ("a-b", "my file", "café", "1st", "site", "support", "tests", "class")
SERVICE_NAMES = ("vat", "VAT", "service", "class", "feed_api")
FOREIGN_NAMES = ("ForeignRecord", "datetime", "Record", "Item", "services")
INTEGRATION_NAMES = ("a_b", "a", "feed", "class")
SYNC_NAMES = ("c", "b_c", "run", "nightly", "syncs")
SPEC_DOC = (
    '{"openapi": "3.0.3", "servers": [{"url": "https://x.example.org"}], '
    '"paths": {"/items": {"get": {"operationId": "list_items"}}}}'
)

TITLE_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters='"\\\r\n')


def string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


titles = st.one_of(
    st.text(st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters='"\\'), max_size=16),
    st.text(TITLE_CHARS, max_size=8),
    st.sampled_from(
        ["{{ x }}", "{% now %}", "<b>&amp;</b>", 'say "hi"', "back\\slash", "100%", " ", "", "Ünïcødé 🎉"]
    ),
    st.text(TITLE_CHARS, min_size=250, max_size=300),
)


def identifiers(pool: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A name from ``pool`` or a plain random identifier."""
    plain = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True)
    return st.one_of(st.sampled_from(pool), plain)


@dataclass
class FieldDraft:
    name: str
    line: str  # everything after `name: `
    kind: str
    required: bool = False
    pk: bool = False
    ref: str | None = None


@dataclass
class EntityDraft:
    name: str
    module: int
    title: str | None
    fields: list[FieldDraft] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)


def _entity_name_ok(name: str) -> bool:
    return bool(IDENT.match(name)) and not keyword.iskeyword(name)


@st.composite
def field_type(draw, entities: list[str], pk_free: bool) -> FieldDraft:
    """A type with modifiers that go together (the reference's rules), as ``type modifiers``."""
    kind = draw(
        st.sampled_from(
            [
                "str",
                "str",
                "text",
                "int",
                "decimal",
                "bool",
                "date",
                "datetime",
                "uuid",
                "email",
                "enum",
                "ref",
                "ref",
            ]
        )
    )
    mods: list[str] = []
    required = draw(st.booleans())
    pk = False
    ref = None
    if kind == "str":
        size = draw(st.sampled_from([1, 2, 3, 5, 6, 7, 20, 255, 4000]))
        text = f"str({size})"
        if pk_free and draw(st.integers(0, 5)) == 0:
            pk = True
        elif draw(st.booleans()) and size >= 3:
            default = draw(st.text(st.sampled_from("abc xyz"), min_size=1, max_size=size).filter(str.strip))
            mods.append(f"default={string(default)}")
    elif kind == "text":
        text = "text"
        if draw(st.booleans()):
            mods.append(f"default={string(draw(st.text(TITLE_CHARS, max_size=10)))}")
    elif kind == "int":
        text = "int"
        if pk_free and draw(st.integers(0, 8)) == 0:
            pk = True
        elif draw(st.booleans()):
            value = draw(st.sampled_from([0, 5, -4, 2**31 - 1, 2**31, -(2**31) - 1, 2**63 - 1, 99999999999]))
            text += f"={value}" if draw(st.booleans()) else ""
            if "=" not in text:
                mods.append(f"default={value}")
    elif kind == "decimal":
        digits = draw(st.sampled_from([1, 2, 5, 10, 30]))
        places = draw(st.integers(0, digits))
        text = f"decimal({digits},{places})"
        if draw(st.booleans()) and digits - places >= 1:
            mods.append(f"default={'-' if draw(st.booleans()) else ''}1" + (".5" if places else ""))
    elif kind == "bool":
        text = "bool"
        if draw(st.booleans()):
            mods.append(f"default={draw(st.sampled_from(['true', 'false']))}")
    elif kind in ("date", "datetime"):
        text = kind
        auto = draw(st.sampled_from([None, None, "auto_add", "auto_update"]))
        if auto:
            mods.append(auto)
    elif kind == "uuid":
        text = "uuid"
        if pk_free and draw(st.integers(0, 3)) == 0:
            pk = True
    elif kind == "email":
        text = "email"
    elif kind == "enum":
        values = draw(
            st.lists(st.sampled_from(ENUM_VALUES), min_size=1, max_size=5, unique_by=lambda v: v.strip('"'))
        )
        text = "enum[" + ", ".join(values) + "]"
        choosable = [v for v in values if v != '""']
        if not choosable:
            required = False  # a required enum needs a value a form can choose
        if choosable and draw(st.booleans()):
            default = draw(st.sampled_from(choosable))
            text += f"={default}" if draw(st.booleans()) else ""
            if "=" not in text:
                mods.append(f"default={default}")
    else:
        ref = draw(st.sampled_from(entities))
        text = f"ref {ref}"
    if pk:
        mods.append("pk")
        required = False
    elif required:
        mods.append("required")
    elif draw(st.integers(0, 4)) == 0:
        mods.append("optional")
    if not pk and kind not in ("text",) and draw(st.integers(0, 4)) == 0:
        if kind not in ("date", "datetime") or not any(m.startswith("auto") for m in mods):
            mods.append(draw(st.sampled_from(["unique", "unique?"])))
    mods = draw(st.permutations(mods))
    return FieldDraft(name="", line=" ".join([text, *mods]), kind=kind, required=required, pk=pk, ref=ref)


@dataclass
class ProjectDraft:
    files: dict[str, str]
    mistake: bool  # an entity is named like a Python keyword: check must refuse it, at its line


@st.composite
def projects(draw, max_entities: int = 4) -> ProjectDraft:
    modules = draw(st.integers(1, 3))
    module_names = ["app"] + [f"part{k}" if k % 2 else f"sub.part{k}" for k in range(1, modules)]
    odd = draw(st.one_of(st.none(), st.sampled_from(FILE_NAMES)))
    names = draw(
        st.lists(
            identifiers(ENTITY_NAMES).filter(_entity_name_ok), min_size=1, max_size=max_entities, unique=True
        )
    )
    mistake = draw(st.integers(0, 19)) == 0
    if mistake:
        names[-1] = draw(st.sampled_from(["class", "None", "def", "import"]))
    entities: list[EntityDraft] = []
    for name in names:
        home = draw(st.integers(0, modules - 1 + (odd is not None)))
        entities.append(EntityDraft(name=name, module=home, title=draw(st.one_of(st.none(), titles))))
    # An entity may refer to those of its own module and of the modules its module uses: the
    # root uses every named module, part k the later ones, the odd file all of them.
    for entity in entities:
        if entity.module == modules:  # the odd file
            reachable = [e.name for e in entities]
        else:
            reachable = [e.name for e in entities if entity.module <= e.module < modules]
        pk_free = True
        used: set[str] = set()
        for _ in range(draw(st.integers(1, 6))):
            fname = draw(identifiers(FIELD_NAMES).filter(lambda n: bool(IDENT.match(n)) and n not in used))
            draft = draw(field_type(reachable, pk_free))
            draft.name = fname
            used.add(fname)
            pk_free = pk_free and not draft.pk
            entity.fields.append(draft)
        if len(entity.fields) >= 2 and draw(st.integers(0, 3)) == 0:
            picked = draw(
                st.lists(
                    st.sampled_from([f.name for f in entity.fields]), min_size=1, max_size=3, unique=True
                )
            )
            entity.constraints.append(f"{draw(st.sampled_from(['unique', 'index']))} {', '.join(picked)}")
    surfaces: dict[int, list[str]] = {}
    surface_names: list[tuple[str, str, int]] = []  # (name, mode, module)
    taken_surfaces: set[str] = set()
    for entity in entities:
        modes = draw(st.lists(st.sampled_from(["list", "view", "create", "edit"]), unique=True, max_size=4))
        for mode in modes:
            sname = f"s{len(taken_surfaces)}_{mode}"
            taken_surfaces.add(sname)
            surface_names.append((sname, mode, entity.module))
            shown = draw(st.lists(st.sampled_from([f.name for f in entity.fields]), unique=True, max_size=5))
            surfaces.setdefault(entity.module, []).append(draw(surface_text(sname, mode, entity.name, shown)))
    customs = draw(st.lists(st.sampled_from(SURFACE_NAMES), unique=True, max_size=2))
    root_blocks: list[str] = []
    for custom in customs:
        if custom in taken_surfaces:
            continue
        taken_surfaces.add(custom)
        surface_names.append((custom, "custom", 0))
        inputs = draw(
            st.lists(
                identifiers(FIELD_NAMES).filter(lambda n: bool(IDENT.match(n))),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        root_blocks.append(draw(surface_text(custom, "custom", None, inputs)))
    experiences = draw(st.lists(st.sampled_from(EXPERIENCE_NAMES), unique=True, max_size=2))
    for experience in experiences:
        steps = []
        # Experiences live in the root module: it sees every module's surfaces but the odd file's.
        candidates = [
            n for n, mode, home in surface_names if mode in ("custom", "create", "edit") and home < modules
        ]
        count = draw(st.integers(1, 3))
        for k in range(count):
            following = f"    on success -> step s{k + 1}\n" if k + 1 < count else ""
            if candidates and draw(st.booleans()):
                steps.append(
                    f"  step s{k}:\n    kind: surface\n    surface {draw(st.sampled_from(candidates))}\n{following}"
                )
            else:
                steps.append(f"  step s{k}:\n    kind: process\n{following}")
        title = draw(st.one_of(st.none(), titles))
        head = f"experience {experience}" + (f" {string(title)}" if title is not None else "")
        root_blocks.append(f"{head}:\n  start at step s0\n" + "".join(steps))
    # Syncs into entities the root module sees, from an inline service; a custom surface runs
    # the first of them when submitted (an outcome may name a sync).
    targets = [
        e for e in entities if e.module < modules and any(f.kind == "str" and not f.pk for f in e.fields)
    ]
    needs_doc = False
    if targets and draw(st.integers(0, 3)) == 0:
        needs_doc = True
        services = draw(st.lists(st.sampled_from(SERVICE_NAMES), min_size=1, max_size=2, unique=True))
        foreign = draw(st.sampled_from([n for n in FOREIGN_NAMES if n not in names] or ["Remote"]))
        for service in services:
            root_blocks.append(f'service {service}:\n  spec: inline "doc"\n  auth_profile: none\n')
        root_blocks.append(
            f"foreign_model {foreign} from {services[0]}:\n  key: code\n  field code: str(20) required\n"
        )
        syncs = []
        for integration in draw(
            st.lists(st.sampled_from(INTEGRATION_NAMES), min_size=1, max_size=2, unique=True)
        ):
            target = draw(st.sampled_from(targets))
            match = draw(st.sampled_from([f.name for f in target.fields if f.kind == "str" and not f.pk]))
            service = draw(st.sampled_from(services))
            body = [
                f"integration {integration}:",
                f"  uses service {service}",
                f"  uses foreign_model {foreign}",
            ]
            for sync in draw(st.lists(st.sampled_from(SYNC_NAMES), min_size=1, max_size=2, unique=True)):
                syncs.append((integration, sync))
                scheduled = draw(st.booleans())
                body += [
                    f"  sync {sync}:",
                    f"    mode: {'scheduled' if scheduled else 'event_driven'}",
                    *(['    schedule: "0 3 * * *"'] if scheduled else []),
                    f"    from {service}.list_items as {foreign}",
                    f"    into entity {target.name}",
                    "    match on:",
                    f"      code <-> {match}",
                ]
            root_blocks.append("\n".join(body) + "\n")
        integration, sync = syncs[0]
        runner = f"run_{len(taken_surfaces)}"
        root_blocks.append(
            f"surface {runner}:\n  mode: custom\n  section main:\n    field note\n"
            f"  action go:\n    on submit -> integration {integration} action {sync}\n"
        )
    app = draw(identifiers(APP_NAMES).filter(lambda n: bool(IDENT.match(n))))
    app_title = draw(st.one_of(st.none(), titles))
    files: dict[str, str] = {}
    for index in range(modules + (odd is not None)):
        is_odd = index == modules
        lines = []
        if is_odd:
            lines += ["use app"] + [f"use {m}" for m in module_names[1:]]
        elif index == 0:
            lines += [f"use {m}" for m in module_names[1:]]
            lines.append(f"app {app}" + (f" {string(app_title)}" if app_title is not None else ""))
        else:
            lines.insert(0, f"module {module_names[index]}")
            lines += [f"use {m}" for m in module_names[index + 1 :]]
        body = [entity_text(e) for e in entities if e.module == index]
        body += surfaces.get(index, [])
        if index == 0:
            body += root_blocks
        path = (
            f"dsl/{odd}.dsl"
            if is_odd
            else ("dsl/app.dsl" if index == 0 else f"dsl/{module_names[index].replace('.', '/')}.dsl")
        )
        files[path] = "\n".join(lines) + "\n\n" + "\n".join(body)
    if needs_doc:
        files["specs/doc.json"] = SPEC_DOC
    login = draw(st.booleans())
    files["dazzle.toml"] = '[project]\nname = "prop"\n' + (
        "" if login else "[build]\nlogin_required = false\n"
    )
    return ProjectDraft(files=files, mistake=mistake)


def entity_text(entity: EntityDraft) -> str:
    head = f"entity {entity.name}" + (f" {string(entity.title)}" if entity.title is not None else "")
    lines = [f"  {f.name}: {f.line}" for f in entity.fields] + [f"  {c}" for c in entity.constraints]
    return head + ":\n" + "\n".join(lines) + "\n"


@st.composite
def surface_text(draw, name: str, mode: str, entity: str | None, shown: list[str]) -> str:
    title = draw(st.one_of(st.none(), titles))
    lines = [f"surface {name}" + (f" {string(title)}" if title is not None else "") + ":"]
    if entity is not None:
        lines.append(f"  uses entity {entity}")
    lines.append(f"  mode: {mode}")
    # A section holds at least one field (a block is never empty).
    sections = draw(st.integers(1, 2)) if mode == "custom" else min(len(shown), draw(st.integers(0, 2)))
    per = [shown[i::sections] for i in range(sections)] if sections else []
    for k, part in enumerate(per):
        stitle = draw(st.one_of(st.none(), titles))
        lines.append(f"  section sec{k}" + (f" {string(stitle)}" if stitle is not None else "") + ":")
        for fname in part or [f"input{k}"]:
            label = draw(st.one_of(st.none(), titles))
            option = draw(
                st.sampled_from(["", ' help="<b>help</b>"', ' placeholder="{{ p }}"', " required=false"])
            )
            lines.append(f"    field {fname}" + (f" {string(label)}" if label is not None else "") + option)
    return "\n".join(lines) + "\n"
