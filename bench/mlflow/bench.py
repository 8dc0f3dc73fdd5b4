"""The same `mlflow` Python client against one tracking server: two timed workloads.

Usage: python bench/mlflow/bench.py --uri http://127.0.0.1:PORT --label cairn --out result.json

1. log_batch: 100,000 metric points into one run through MlflowClient.log_batch, 1,000 metrics per
   call (10 keys x 100 steps), 100 calls. Wall time of the 100 calls -> points/s.
2. search_runs: 10,000 runs (3 params, 2 metrics each, seeded so both servers hold the same
   values), then `search_runs(filter_string=FILTER, order_by=ORDER, max_results=100)` repeated;
   p50 / p95 over the timed repetitions (one untimed warm-up first). Seeding uses a thread pool
   and is not part of the figure.

Run by bench/mlflow/run.sh, which starts and stops the servers; this program only talks to one.
"""
import argparse
import json
import os
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")

import mlflow  # noqa: E402
from mlflow.entities import Metric, Param  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402

FILTER = "metrics.acc > 0.5 and params.opt = 'adam'"
ORDER = ["metrics.acc DESC"]
MAX_RESULTS = 100


def log_batch_bench(client, calls, per_call):
    exp = client.create_experiment(f"bench-log-batch-{time.time_ns()}")
    run_id = client.create_run(exp).info.run_id
    keys = [f"m{k}" for k in range(10)]
    steps_per_call = per_call // len(keys)
    ts = int(time.time() * 1000)
    batches = []
    for c in range(calls):
        batch = []
        for s in range(steps_per_call):
            step = c * steps_per_call + s
            for k in keys:
                batch.append(Metric(k, ((step * 7919 + int(k[1:]) * 104729) % 1000) / 1000.0, ts + step, step))
        batches.append(batch)
    per_call_s = []
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for batch in batches:
        t = time.perf_counter()
        client.log_batch(run_id, metrics=batch)
        per_call_s.append(time.perf_counter() - t)
    wall = time.perf_counter() - t0
    client_cpu = time.process_time() - cpu0
    points = calls * per_call
    # Read one key back so a silently dropped batch cannot pass as fast.
    got = len(client.get_metric_history(run_id, "m0"))
    expect = calls * steps_per_call
    if got != expect:
        raise SystemExit(f"log_batch: m0 has {got} points, expected {expect}")
    per_call_s.sort()
    return {
        "points": points,
        "calls": calls,
        "metrics_per_call": per_call,
        "wall_s": round(wall, 4),
        # CPU time the client process itself spent (building and sending the requests): a floor
        # under the wall time that no server can remove.
        "client_cpu_s": round(client_cpu, 4),
        "points_per_s": round(points / wall, 1),
        "call_p50_ms": round(statistics.median(per_call_s) * 1000, 2),
        "call_max_ms": round(per_call_s[-1] * 1000, 2),
        "readback_m0_points": got,
    }


def seed_runs(client, n, threads):
    exp = client.create_experiment(f"bench-search-{time.time_ns()}")
    rng = random.Random(42)
    specs = []
    for i in range(n):
        specs.append({
            "opt": rng.choice(["adam", "sgd", "rmsprop"]),
            "lr": f"{rng.choice([0.1, 0.01, 0.001, 0.0001])}",
            "layers": str(rng.randint(1, 8)),
            # Distinct values so the order is total and comparable across servers.
            "acc": round(rng.random(), 6) + i * 1e-12,
            "loss": rng.random(),
        })
    ts = int(time.time() * 1000)

    def make(i):
        s = specs[i]
        run_id = client.create_run(exp, run_name=f"r{i}").info.run_id
        client.log_batch(
            run_id,
            metrics=[Metric("acc", s["acc"], ts, 0), Metric("loss", s["loss"], ts, 0)],
            params=[Param("opt", s["opt"]), Param("lr", s["lr"]), Param("layers", s["layers"])],
        )

    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(make, range(n)))
    seed_s = time.perf_counter() - t0
    matching = sorted((s["acc"] for s in specs if s["acc"] > 0.5 and s["opt"] == "adam"), reverse=True)
    return exp, seed_s, matching


def search_bench(client, n, reps, threads):
    exp, seed_s, matching = seed_runs(client, n, threads)

    def once():
        return client.search_runs([exp], filter_string=FILTER, order_by=ORDER, max_results=MAX_RESULTS)

    first = once()  # warm-up, also the correctness check
    got = [r.data.metrics["acc"] for r in first]
    want = matching[:MAX_RESULTS]
    if len(got) != len(want) or any(abs(a - b) > 1e-9 for a, b in zip(got, want)):
        raise SystemExit(f"search_runs: wrong result: got {got[:5]}... ({len(got)}), want {want[:5]}... ({len(want)})")
    times = []
    cpu0 = time.process_time()
    for _ in range(reps):
        t = time.perf_counter()
        once()
        times.append(time.perf_counter() - t)
    client_cpu = time.process_time() - cpu0
    times.sort()
    return {
        "runs": n,
        "filter_string": FILTER,
        "order_by": ORDER,
        "max_results": MAX_RESULTS,
        "matching_runs": len(matching),
        "returned": len(got),
        "repetitions": reps,
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))] * 1000, 2),
        "min_ms": round(times[0] * 1000, 2),
        "max_ms": round(times[-1] * 1000, 2),
        "client_cpu_ms_per_call": round(client_cpu / reps * 1000, 2),
        "seed_s": round(seed_s, 1),
        "seed_threads": threads,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uri", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--per-call", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--threads", type=int, default=4)
    a = ap.parse_args()
    client = MlflowClient(tracking_uri=a.uri)
    out = {"label": a.label, "client": f"mlflow {mlflow.__version__}", "python": sys.version.split()[0]}
    out["load_before"] = os.getloadavg()
    out["log_batch"] = log_batch_bench(client, a.calls, a.per_call)
    print(f"[{a.label}] log_batch: {out['log_batch']}", flush=True)
    out["load_before_search"] = os.getloadavg()
    out["search_runs"] = search_bench(client, a.runs, a.reps, a.threads)
    print(f"[{a.label}] search_runs: {out['search_runs']}", flush=True)
    out["load_after"] = os.getloadavg()
    with open(a.out, "w") as f:
        json.dump(out, f, indent=2)


if __name__ == "__main__":
    main()
