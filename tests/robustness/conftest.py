"""Robustness suite: hostile inputs, crash safety, web security. Prints how many inputs it tried."""

from __future__ import annotations

import pytest
from tally import TRIED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TRIED:
        return
    terminalreporter.section("robustness: inputs tried")
    for kind, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"{kind:<56} {count:>8}")
    terminalreporter.write_line(f"{'total':<56} {sum(TRIED.values()):>8}")
