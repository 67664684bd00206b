"""``python -m riskmanual.cli``: the same as the ``riskmanual`` command."""

from . import main

main()
