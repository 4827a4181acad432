"""Run a command and report its wall time and peak memory, for the import benchmark.

    python -m benchmarks.peak RESULT_FILE COMMAND [ARG ...]

Why a launcher of its own: Linux carries a process's peak memory (`ru_maxrss`) across fork and
exec, so a command started straight from the benchmark (a Django process that may just have
written a 500.000-row spreadsheet) reports the benchmark's own peak whenever that is larger
(seen: 287 MiB for an import whose resident memory never passed 205 MiB). Started from this
small process, the command's peak is its own. Writes `seconds peak_mib returncode` to
RESULT_FILE; exits with the command's status.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    result_file, command = argv[0], argv[1:]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    with open(result_file, "w") as handle:
        handle.write(f"{elapsed} {usage.ru_maxrss / 1024} {code}\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
