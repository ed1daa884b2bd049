"""Nengo's own test suite, run against nbsnn.Simulator as a backend.

Runs ``pytest --pyargs nengo`` in a subprocess with ``nengo-tests.ini`` (where
``nengo_simulator = nbsnn.Simulator`` and every unsupported test is listed with
its reason) and requires that nothing fails.
"""

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
#: nengo.Simulator passes 542 of the suite's 560 simulator tests on this stack.
REFERENCE_PASSED = 542


def test_nengo_suite_passes_on_nbsnn(tmp_path):
    command = [
        sys.executable, "-m", "pytest", "-c", str(HERE / "nengo-tests.ini"),
        "--rootdir", str(HERE), "--pyargs", "nengo", "-q", "-p", "no:randomly",
        "-p", "no:cacheprovider", "-rf",
    ]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    summary = result.stdout.strip().splitlines()[-1]
    counts = {k: int(v) for v, k in re.findall(r"(\d+) (passed|failed|skipped|error)", summary)}
    assert counts.get("failed", 0) == 0 and counts.get("error", 0) == 0, result.stdout[-5000:]
    assert counts["passed"] >= 0.97 * REFERENCE_PASSED, summary
