"""Checks of a generated Django app's files that need no Django project: every Python file
compiles and binds no name twice at module level or in a class body, every template parses,
URL names and paths are distinct; and the names ``naming`` derived are distinct in each
namespace. Shared by the property tests and the corpus.
"""

from __future__ import annotations

import ast
from collections import Counter

from generators.django import naming, reserved


def template_engine():
    from django.template import Engine

    return Engine(libraries={"static": "django.templatetags.static"})


def defined_names(node: ast.Module | ast.ClassDef) -> list[str]:
    """The names a module or class body defines: its classes, functions and assigned names."""
    found = []
    for item in node.body:
        if isinstance(item, (ast.ClassDef, ast.FunctionDef)):
            found.append(item.name)
        elif isinstance(item, ast.Assign):
            found += [t.id for t in item.targets if isinstance(t, ast.Name)]
    return found


def doubled(names) -> list[str]:
    return [name for name, n in Counter(names).items() if n > 1]


def check_files(files: dict[str, bytes]) -> None:
    engine = template_engine()
    for path, data in files.items():
        text = data.decode("utf-8")
        if path.endswith(".py"):
            tree = ast.parse(text, path)  # a SyntaxError fails the example
            compile(tree, path, "exec")
            for node in [tree, *(n for n in tree.body if isinstance(n, ast.ClassDef))]:
                assert not doubled(defined_names(node)), (
                    path,
                    getattr(node, "name", ""),
                    doubled(defined_names(node)),
                )
        elif path.endswith(".html"):
            engine.from_string(text)
    [urls] = [
        data for path, data in files.items() if path.endswith("/urls.py") and not path.startswith("config/")
    ]
    routes = [
        (call.args[0].value, next(k.value.value for k in call.keywords if k.arg == "name"))
        for call in ast.walk(ast.parse(urls))
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "path"
    ]
    assert not doubled(p for p, _ in routes) and not doubled(n for _, n in routes), routes


def check_names(spec) -> None:
    names = naming.app_names(spec)
    entities = names.entities.values()
    assert not doubled(n.model.lower() for n in entities)
    assert not doubled(n.stem for n in entities)
    assert not doubled(n.segment for n in entities)
    urls = [n.url(p) for n in entities for p in naming.PAGES] + [c.url for c in names.customs.values()]
    urls += [f.url for f in names.flows.values()] + [f.step_url for f in names.flows.values()]
    urls += [s.url for s in names.syncs.values()]
    assert not doubled(urls), doubled(urls)
    for entity in spec.entities:
        attrs = naming.field_attrs(entity)
        assert not doubled(a.lower() for a in attrs.values())
        for attr in attrs.values():
            assert attr.isidentifier() and len(attr) <= naming.FIELD_ATTR_MAX + len("_field")
    targets: dict[str, list[str]] = {}
    for entity in spec.entities:
        for field, related in names.entities[entity.name].related.items():
            ftype = entity.field(field).type
            targets.setdefault(ftype.ref if ftype.kind == "ref" else naming.USER_TARGET, []).append(related)
    for target, related in targets.items():
        assert not doubled(related)
        if target == naming.USER_TARGET:  # the reverse names of `user` fields, on the user model
            assert not set(related) & reserved.USER_MODEL_ATTRIBUTES
        else:
            assert not set(related) & set(naming.field_attrs(spec.entity(target)).values())
