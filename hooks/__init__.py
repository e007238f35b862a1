"""The built-in hooks: common ones here, stack-specific ones in sub-packages (``hooks.django``).

Each module holds one hook, registered under the ``dazzle.hooks`` entry-point group in
``pyproject.toml``; ``docs/hooks.md`` describes them all."""
