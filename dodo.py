"""doit entry point of the dazzle repository.

doit build                     build examples/helpdesk into ./build (state in ./.dazzle)
doit project=PATH build        build another project into its own [build] output folder
                               (state in PATH/.dazzle)
doit force=1 build             overwrite generated files you edited
doit list [--all] | info TASK | clean | watch
"""

from pathlib import Path

from doit import get_var, loader

from dazzle.engine import dodo_namespace

REPO = Path(__file__).resolve().parent
_project = get_var("project", None)

if _project:
    # a relative PATH is relative to where doit was started (doit itself moves to this folder)
    globals().update(dodo_namespace(Path(loader.initial_workdir or ".") / _project))
else:
    globals().update(
        dodo_namespace(REPO / "examples" / "helpdesk", output_dir=REPO / "build", state_dir=REPO / ".dazzle")
    )
