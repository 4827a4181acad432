"""The benchmark's launcher reports the peak memory of the command, not of its own parent."""

import subprocess
import sys


def _run(tmp_path, code: str) -> tuple[float, float, int]:
    result = tmp_path / "result.peak"
    status = subprocess.run(
        [sys.executable, "-m", "benchmarks.peak", str(result), sys.executable, "-c", code]
    ).returncode
    seconds, peak, returncode = result.read_text().split()
    assert int(returncode) == status
    return float(seconds), float(peak), status


def test_peak_is_the_commands_own_even_under_a_large_parent(tmp_path):
    ballast = b"x" * (400 << 20)  # this process now has a 400 MiB peak
    _, small, status = _run(tmp_path, "pass")
    assert status == 0
    assert small < 100, small  # started straight from here, it would report >= 400 MiB
    _, large, _ = _run(tmp_path, "data = b'y' * (200 << 20)")
    assert 200 <= large < 300, large
    del ballast


def test_exit_status_of_the_command_is_passed_on(tmp_path):
    seconds, _, status = _run(tmp_path, "import sys, time; time.sleep(0.2); sys.exit(3)")
    assert status == 3
    assert seconds >= 0.2
