"""bench/navigate.py prints the benchmark JSON the other benchmarks print."""

import importlib.util
import json

from django.conf import settings


def test_the_bench_prints_one_json_object_with_both_cases(capsys):
    spec = importlib.util.spec_from_file_location(
        "bench_navigate", settings.BASE_DIR / "bench" / "navigate.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--json", "--runs", "5"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "navigate" and data["runs"] == 5
    for k in ("median_ms", "p95_ms", "baseline_median_ms", "ratio", "baseline", "what"):
        assert k in data
    assert set(data["cases"]) == {"tennyu", "death"}
    # A household of 6 over the whole pack; the naive baseline gave the same list (asserted).
    assert len(bench.household()) == 6 and data["cases"]["tennyu"]["results"] > 15
