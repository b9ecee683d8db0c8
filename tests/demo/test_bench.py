"""The benchmark entry point's contract (the benchmarks themselves are not run by tests)."""

from __future__ import annotations

from bench.__main__ import BENCHES, main
from bench.common import result_line


def test_it_lists_every_benchmark(capsys):
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()] == list(BENCHES)
    assert {"seed", "import", "search", "targeting"} <= set(BENCHES)


def test_the_result_line_has_the_contract_shape():
    line = result_line("seed", db="sqlite", size=20000, total_s=12.3456, households=20000, residents=68473)
    assert line == "RESULT seed db=sqlite size=20000 total_s=12.346 households=20000 residents=68473"
