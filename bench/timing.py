"""What every benchmark here measures with: wall-clock runs in ms and their 95th percentile."""

import math
import time


def timed(fn, runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls of fn()."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
