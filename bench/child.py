"""Run one command in a fresh process and print its wall time and peak memory as JSON.

`resource.getrusage(RUSAGE_CHILDREN)` reports the largest RSS of any child this process waited for,
so each measurement gets its own helper process and the figure is that command's alone.
Usage: python -m bench.child -- COMMAND [ARGS...]
"""

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "returncode": completed.returncode,
                "max_rss_mb": usage.ru_maxrss / 1024,
                "stdout_tail": completed.stdout[-600:],
                "stderr_tail": completed.stderr[-1200:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
