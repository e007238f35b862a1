"""The test stack's generators: ``models`` (per entity), ``pages`` (per surface) and ``index``
(whole app, reads the ``models`` artifacts)."""

from __future__ import annotations

from pathlib import Path

import jinja2
from pydantic import BaseModel

from dazzle.plugins import Generated, GeneratedFile, Generator

TEMPLATES = Path(__file__).parent / "templates"


def render(folder: str, name: str, **context) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / folder)),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(name).render(**context)


class FieldSlice(BaseModel):
    name: str
    kind: str
    required: bool


class EntitySlice(BaseModel):
    name: str
    title: str
    fields: list[FieldSlice]


class ModelsGenerator(Generator):
    name = "models"
    stack = "teststack"
    doc = "one model module per entity"
    slice_model = EntitySlice
    per_item = True
    templates = "templates/models"

    def slice(self, spec):
        return {
            e.name: EntitySlice(
                name=e.name,
                title=e.label,
                fields=[FieldSlice(name=f.name, kind=f.type.kind, required=f.is_required) for f in e.fields],
            )
            for e in spec.entities
        }

    def generate(self, slice, artifacts):
        module = slice.name.lower()
        text = render("models", "model.py.j2", entity=slice)
        return Generated(
            files=[GeneratedFile(f"app/models/{module}.py", text)],
            artifacts={"class": slice.name, "module": f"app.models.{module}", "fields": len(slice.fields)},
        )


class PageField(BaseModel):
    name: str
    label: str


class PageSlice(BaseModel):
    name: str
    title: str
    entity: str | None
    mode: str
    fields: list[PageField]


class PagesGenerator(Generator):
    name = "pages"
    stack = "teststack"
    doc = "one page per surface"
    slice_model = PageSlice
    per_item = True
    templates = "templates/pages"

    def slice(self, spec):
        return {
            s.name: PageSlice(
                name=s.name,
                title=s.label,
                entity=s.entity,
                mode=s.mode,
                fields=[PageField(name=f.name, label=f.label or f.name) for f in s.fields],
            )
            for s in spec.surfaces
        }

    def generate(self, slice, artifacts):
        return Generated(
            files=[GeneratedFile(f"app/pages/{slice.name}.html", render("pages", "page.html.j2", page=slice))]
        )


class IndexSlice(BaseModel):
    app: str
    title: str
    entities: list[str]


class IndexGenerator(Generator):
    name = "index"
    stack = "teststack"
    doc = "the app package: lists every model (reads the models' artifacts)"
    slice_model = IndexSlice
    reads = ("models",)
    templates = "templates/index"

    def slice(self, spec):
        return IndexSlice(app=spec.app.name, title=spec.app.label, entities=[e.name for e in spec.entities])

    def generate(self, slice, artifacts):
        models = [artifacts["models"][name] for name in slice.entities]
        return Generated(
            files=[
                GeneratedFile("app/__init__.py", render("index", "init.py.j2", app=slice, models=models)),
                GeneratedFile(
                    "app/custom.py", "# yours: the build never touches this file again\n", user_owned=True
                ),
                GeneratedFile("run.sh", "#!/bin/sh\necho " + slice.app + "\n", executable=True),
            ],
            artifacts={"models": len(models)},
        )
