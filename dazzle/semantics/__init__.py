"""The semantics stage: the project's modules → one linked, validated ``AppSpec``.

``config`` reads ``dazzle.toml`` and finds the DSL files; ``linker`` resolves ``use`` lines and
qualified names across modules (``rewrite`` turns a module's names into global ones);
``validate`` checks every rule of the language reference; ``frontend`` runs the whole front end
(parse, link, validate) for ``dazzle check`` and the build's link task.
"""
