"""The ``services`` generator: ``<app>/services.py`` and ``<app>/foreign_models.py``.

``services.py`` holds a stdlib-only HTTP client per ``service`` (OpenAPI operations resolved by
``operationId``, auth per profile, configuration from ``<SERVICE>_*`` environment variables,
one ``ServiceError``); ``foreign_models.py`` a frozen dataclass per ``foreign_model`` that parses
a response and rejects a record missing a key field. The inline OpenAPI documents themselves
(``specs/<id>.json``) are copied next to ``manage.py`` by the ``copy_specs`` hook.

Artifact (read by ``integrations``), plain data: ``clients``, service name → the module-level
client object of ``services.py`` that calls it (``vat_api_client``), every service of the spec.
"""

from __future__ import annotations

import keyword

from pydantic import BaseModel

from dazzle.ir import AppSpec, ForeignModel
from dazzle.plugins import Generated, GeneratedFile
from generators.django import naming
from generators.django.base import DjangoGenerator
from generators.django.render import py_literal, render

# Names ForeignRecord defines: a field may not shadow them.
_RECORD_NAMES = {"key", "value", "parse", "as_dict", "SERVICE", "KEY", "FIELDS"}
_ANNOTATIONS = {
    "int": "int | None",
    "decimal": "decimal.Decimal | None",
    "bool": "bool | None",
    "date": "datetime.date | None",
    "datetime": "datetime.datetime | None",
}


class ServiceSpec(BaseModel):
    name: str
    names: naming.ServiceNames
    title: str
    spec_kind: str
    spec: str
    auth: str
    auth_options: tuple[tuple[str, str | int | bool], ...] = ()


class ForeignField(BaseModel):
    name: str
    attr: str
    kind: str
    required: bool


class ForeignSpec(BaseModel):
    name: str
    class_name: str
    service: str
    key: tuple[str, ...]
    fields: tuple[ForeignField, ...]


class ServicesSlice(BaseModel):
    app: str
    services: tuple[ServiceSpec, ...] = ()
    foreign_models: tuple[ForeignSpec, ...] = ()


def foreign_attrs(foreign: ForeignModel) -> dict[str, str]:
    """Field name → dataclass attribute, distinct and never a keyword or a ForeignRecord name."""
    out: dict[str, str] = {}
    for field in foreign.fields:
        attr = naming.model_attr(field.name)
        if keyword.iskeyword(attr) or attr in _RECORD_NAMES:
            attr += "_field"
        base, n = attr, 2
        while attr in out.values():
            attr, n = f"{base}_{n}", n + 1
        out[field.name] = attr
    return out


def foreign_spec(foreign: ForeignModel, class_name: str) -> ForeignSpec:
    attrs = foreign_attrs(foreign)
    return ForeignSpec(
        name=foreign.name,
        class_name=class_name,
        service=foreign.service,
        key=tuple(attrs[k] for k in foreign.key if k in attrs),
        fields=tuple(
            ForeignField(name=f.name, attr=attrs[f.name], kind=f.type.kind, required=f.is_required)
            for f in foreign.fields
        ),
    )


class ServicesGenerator(DjangoGenerator):
    name = "services"
    doc = "Service clients (stdlib HTTP, OpenAPI operations, auth from the environment) and foreign models."
    slice_model = ServicesSlice
    templates = "templates/services"

    def slice(self, spec: AppSpec) -> ServicesSlice:
        names = naming.app_names(spec)
        return ServicesSlice(
            app=names.app,
            services=tuple(
                ServiceSpec(
                    name=s.name,
                    names=names.services[s.name],
                    title=s.label,
                    spec_kind=s.spec_kind,
                    spec=s.spec,
                    auth=s.auth,
                    auth_options=tuple(
                        (k, v.python if v.kind != "number" else v.text) for k, v in s.auth_options
                    ),
                )
                for s in spec.services
            ),
            foreign_models=tuple(foreign_spec(f, names.foreign[f.name]) for f in spec.foreign_models),
        )

    def generate(self, slice: ServicesSlice, artifacts) -> Generated:
        handed = {"clients": {s.name: s.names.client for s in slice.services}}
        if not slice.services and not slice.foreign_models:
            return Generated(artifacts=handed)
        services = [
            {
                "name": s.name,
                "title": s.title,
                "spec_kind": s.spec_kind,
                "spec": s.spec,
                "auth": s.auth,
                "class_name": s.names.client_class,
                "instance": s.names.client,
                # Only where the name's own prefix is another service's.
                "env": s.names.env if s.names.env != naming.service_env(s.name) else None,
                "options": "{"
                + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in s.auth_options)
                + "}",
            }
            for s in slice.services
        ]
        models = [
            {
                "name": m.class_name,
                "service": m.service,
                "key": m.key,
                "fields": [
                    {**f.model_dump(), "annotation": _ANNOTATIONS.get(f.kind, "str | None")} for f in m.fields
                ],
            }
            for m in slice.foreign_models
        ]
        folder = self.template_dir()
        return Generated(
            files=[
                GeneratedFile(
                    f"{slice.app}/services.py", render(folder, "app/services.py.j2", services=services)
                ),
                GeneratedFile(
                    f"{slice.app}/foreign_models.py",
                    render(folder, "app/foreign_models.py.j2", models=models),
                ),
            ],
            artifacts=handed,
        )
