"""`python -m bench writes|live|groups|churn …`: prints figures and writes bench/results/*.json."""

from __future__ import annotations

import click

from .churn import churn
from .groups import groups
from .live import live
from .writes import writes


@click.group()
def main() -> None:
    """Samenspraak benchmarks (never part of pytest)."""


main.add_command(writes)
main.add_command(live)
main.add_command(groups)
main.add_command(churn)

if __name__ == "__main__":
    main()
