"""The ``endpoints`` generator: ``<app>/api/serializers.py``, ``views.py`` and ``urls.py`` —
a viewset per entity with surfaces, its serializers and its route (``plan`` says which
operations and fields).

The slice holds no text from the spec (titles and labels are not in the API), so a label edit
never re-renders these files.
"""

from __future__ import annotations

from dazzle.ir import AppSpec
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.render import render
from generators.django.spec_index import indexed
from generators.django_api.base import DjangoApiGenerator
from generators.django_api.plan import ApiPlan, EntityApi, api_plan

MIXINS = {
    "list": "Listing",
    "retrieve": "Reading",
    "create": "Creating",
    "partial_update": "Editing",
    "destroy": "Deleting",
}
KEY_REGEX = {"int": "[^/.]+", "uuid": "[^/.]+", "str": "[^/]+"}
"""The router's pattern for a key in a URL. A string key may hold a dot (there are no format
suffixes to keep apart); a number or a uuid never does, and keeps DRF's default pattern, the one
drf-spectacular leaves to the model field, so the schema gives the key its type."""
REPRESENTATIONS = (
    ("list", "list"),
    ("detail", "retrieve"),
    ("create", "create"),
    ("update", "partial_update"),
)
"""(representation, the action that uses it)."""
DOCS = {  # the schema's description of each representation
    "list": "A {model} as its list shows it: the list surface's columns.",
    "detail": "A {model} as its page shows it: the view surface's fields.",
    "create": "A new {model}: the create surface's fields (and the required ones it leaves out).",
    "update": "A change to a {model}: the edit surface's fields.",
}


def entity_context(e: EntityApi) -> dict:
    serializers = []  # (class name stem, fields, read-only fields: all when none is writable)
    for kind, action in REPRESENTATIONS:
        if action in e.actions:
            fields, writable = e.representation(kind)
            read_only = tuple(f for f in fields if f not in writable)
            serializers.append((kind.capitalize(), fields, read_only, DOCS[kind].format(model=e.model)))
    return {
        "model": e.model,
        "viewset": e.viewset(),
        "segment": e.segment,
        "basename": e.stem.replace("_", "-"),
        "key_regex": KEY_REGEX[e.key_type],
        "mixins": [MIXINS[a] for a in e.actions],
        "serializers": serializers,
        "action_serializers": [(a, e.serializer(kind)) for kind, a in REPRESENTATIONS if a in e.actions],
        "shown": e.serializer(e.shown),
        "search_fields": e.search_fields,
        "sort_columns": e.sort_columns,
        "default_sort": e.default_sort,
        "filterset": e.filterset,
    }


class EndpointsGenerator(DjangoApiGenerator):
    name = "endpoints"
    doc = "<app>/api/: a viewset, serializers and a route per entity with surfaces"
    slice_model = ApiPlan
    templates = "templates/endpoints"

    def slice(self, spec: AppSpec) -> ApiPlan:
        return api_plan(indexed(spec))

    def generate(self, slice: ApiPlan, artifacts) -> Generated:
        app = slice.app
        entities = [entity_context(e) for e in slice.entities]
        context = {
            "app": app,
            "entities": entities,
            "filtersets": any(e["filterset"] for e in entities),
            "prefix": naming.API_PREFIX,
        }
        files = [
            GeneratedFile(
                f"{app}/api/{name}.py", render(self.template_dir(), f"app/api/{name}.py.j2", **context)
            )
            for name in ("serializers", "views", "urls")
        ]
        return Generated(files=files)
