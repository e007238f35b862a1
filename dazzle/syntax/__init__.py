"""The syntax stage: one ``.dsl`` file's bytes → the IR of one module (``parser.parse_module``).

``grammar.lark`` is the language; ``grammar_cache`` has lark compile it into an LALR table once
and keeps that table on disk; ``lexer`` turns the source into tokens (indentation included);
``lalr`` runs the table over them and calls ``transformer`` as each rule is reduced, which builds
the IR nodes. Nothing here knows about other modules, the project or any stack.
"""
