"""``python -m dazzle.cli``: the ``dazzle`` command."""

import sys

from dazzle.cli.main import main

sys.exit(main())
