"""The plugin layer: what a generator or a hook is (``api``, re-exported here: plugin authors
write ``from dazzle.plugins import Generator``), how they are found (``registry``, through
entry points) and which of them a project uses (``selection``).

It knows nothing of doit: the engine maps the chosen plugins to tasks.
"""

from dazzle.plugins.api import (
    DevContext,
    DevError,
    DevServer,
    Generated,
    GeneratedFile,
    Generator,
    Hook,
    HookContext,
    HookResult,
    PendingCommit,
    Severity,
    StackCheck,
)

__all__ = [
    "DevContext",
    "DevError",
    "DevServer",
    "Generated",
    "GeneratedFile",
    "Generator",
    "Hook",
    "HookContext",
    "HookResult",
    "PendingCommit",
    "Severity",
    "StackCheck",
]
