"""A tiny stack for the engine tests (so they never depend on Django): a per-entity generator,
a per-surface generator, a whole-app generator reading the first one's artifacts, and a
post_build hook. ``install.py`` registers them through entry points, the way a third-party
package would.
"""
