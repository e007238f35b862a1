"""``collector_paused``: the cyclic garbage collector kept out of parsing, linking and validating.

Those steps allocate hundreds of thousands of small objects that live on (the IR) and form no
cycles. Left running, the collector walks them again and again (3/4 of the link time on a
25k-line project, a quarter of the parse time on big files). Merely pausing it is not enough:
re-enabling it makes the next collection walk everything allocated meanwhile (0.1-0.2 s on a
500-entity project). So on the way out the survivors are frozen (``gc.freeze``): moved where
the collector never looks. They are still freed as usual when no longer referenced; only a
reference cycle among them would never be collected, and the IR has none.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused(freeze: bool = True) -> Iterator[None]:
    """Pause the cyclic collector; nested uses leave the work to the outermost one.

    ``freeze=False`` for work whose objects are mostly garbage by the end (a generator task:
    its slice and the text it renders): what is freed goes as usual, and a reference cycle in
    it is still collected later instead of being frozen for good."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.enable()
