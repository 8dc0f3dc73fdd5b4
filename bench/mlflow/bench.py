"""The same `mlflow` Python client against one tracking server: two timed workloads.

Usage: python bench/mlflow/bench.py --uri http://127.0.0.1:PORT --label cairn --out result.json

1. log_batch: 100,000 metric points into one run through MlflowClient.log_batch, 1,000 metrics per
   call (10 keys x 100 steps), 100 calls. Wall time of the 100 calls -> points/s.
2. search_runs: 10,000 runs (3 params, 2 metrics each, seeded so both servers hold the same
   values), then `search_runs(filter_string=FILTER, order_by=ORDER, max_results=100)` repeated;
   p50 / p95 over the timed repetitions (one untimed warm-up first). Seeding uses a thread pool
   and is not part of the figure.

Each timed window also records where the time went: the client process's own CPU time
(time.process_time), the server's CPU time (--server-pid: the CPU time of every process in that
process group, read from /proc/<pid>/stat before and after the window), and, for log_batch, the
CPU time the client needs just to build the same 100 request bodies with no server at all (its own
`message_to_json` of the `LogBatch` protobuf, exactly as `RestStore.log_batch` does).

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
from mlflow.protos.service_pb2 import LogBatch  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402
from mlflow.utils.proto_json_utils import message_to_json  # noqa: E402

FILTER = "metrics.acc > 0.5 and params.opt = 'adam'"
ORDER = ["metrics.acc DESC"]
MAX_RESULTS = 100


CLK_TCK = os.sysconf("SC_CLK_TCK")


def group_cpu_s(pgid):
    """User + system CPU seconds of every live process in process group `pgid`, all threads.

    From /proc/<pid>/stat, in clock ticks (10 ms). That count includes threads that already
    exited; summing the per-thread nanosecond counters in /proc/<pid>/task/*/schedstat instead
    missed 0.5 s of mlflow's 8 s over one log_batch window.
    """
    if pgid is None:
        return None
    ticks = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # exited meanwhile
            continue
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / CLK_TCK


def machine_busy_s():
    """CPU seconds all cores spent not idle (user, nice, system, irq, softirq, steal), /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / CLK_TCK


class Window:
    """Wall, client CPU, server CPU and the machine's other CPU use over one timed window."""

    def __init__(self, server_pgid):
        self.pgid = server_pgid

    def __enter__(self):
        self.m0 = machine_busy_s()
        self.s0 = group_cpu_s(self.pgid)
        self.c0 = time.process_time()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        self.client_cpu = time.process_time() - self.c0
        s1 = group_cpu_s(self.pgid)
        self.server_cpu = None if s1 is None else s1 - self.s0
        # Everything else the machine ran meanwhile (other people's jobs): a load figure.
        busy = machine_busy_s() - self.m0
        self.other_cpu = busy - self.client_cpu - (self.server_cpu or 0)


def server_idle_rate(pgid, seconds=5.0):
    """The server's own background CPU use (job runners, timers) with no request in flight, CPU s per s."""
    if pgid is None:
        return None
    s0 = group_cpu_s(pgid)
    time.sleep(seconds)
    return round((group_cpu_s(pgid) - s0) / seconds, 4)


def wait_settled(pgid, limit_s=120.0, rate=0.1):
    """Waits until the server uses under `rate` CPU s per s with no request in flight.

    mlflow's /health answers while its job runner is still starting its consumer processes,
    which takes seconds of CPU; timing before that ends would charge mlflow for its start-up.
    Returns the seconds waited.
    """
    if pgid is None:
        return None
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit_s:
        s0 = group_cpu_s(pgid)
        time.sleep(1.0)
        if group_cpu_s(pgid) - s0 < rate:
            break
    return round(time.perf_counter() - t0, 1)


def request_build_cpu_s(run_id, batches):
    """CPU seconds the client spends turning the batches into request bodies, no network involved."""
    c0 = time.process_time()
    for batch in batches:
        message_to_json(LogBatch(metrics=[m.to_proto() for m in batch], params=[], tags=[], run_id=run_id))
    return time.process_time() - c0


def log_batch_bench(client, calls, per_call, server_pgid):
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
    with Window(server_pgid) as w:
        for batch in batches:
            t = time.perf_counter()
            client.log_batch(run_id, metrics=batch)
            per_call_s.append(time.perf_counter() - t)
    wall, client_cpu = w.wall, w.client_cpu
    build_cpu = request_build_cpu_s(run_id, batches)
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
        # Of which: building the 100 request bodies (measured separately, without a server).
        "client_request_build_cpu_s": round(build_cpu, 4),
        # CPU time of the server's whole process group over the same window.
        "server_cpu_s": None if w.server_cpu is None else round(w.server_cpu, 4),
        # CPU time other processes on the machine used over the window (0 on an idle machine).
        "other_cpu_s": round(w.other_cpu, 2),
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


def search_bench(client, n, reps, threads, server_pgid):
    exp, seed_s, matching = seed_runs(client, n, threads)

    def once():
        return client.search_runs([exp], filter_string=FILTER, order_by=ORDER, max_results=MAX_RESULTS)

    first = once()  # warm-up, also the correctness check
    got = [r.data.metrics["acc"] for r in first]
    want = matching[:MAX_RESULTS]
    if len(got) != len(want) or any(abs(a - b) > 1e-9 for a, b in zip(got, want)):
        raise SystemExit(f"search_runs: wrong result: got {got[:5]}... ({len(got)}), want {want[:5]}... ({len(want)})")
    times = []
    with Window(server_pgid) as w:
        for _ in range(reps):
            t = time.perf_counter()
            once()
            times.append(time.perf_counter() - t)
    client_cpu = w.client_cpu
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
        "wall_ms_per_call": round(w.wall / reps * 1000, 2),
        "client_cpu_ms_per_call": round(client_cpu / reps * 1000, 2),
        "server_cpu_ms_per_call": None if w.server_cpu is None else round(w.server_cpu / reps * 1000, 2),
        "other_cpu_s": round(w.other_cpu, 2),
        "window_s": round(w.wall, 3),
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
    ap.add_argument("--server-pid", type=int, default=None,
                    help="the server's process-group leader (run.sh starts it with setsid): its CPU time is recorded")
    a = ap.parse_args()
    client = MlflowClient(tracking_uri=a.uri)
    out = {"label": a.label, "client": f"mlflow {mlflow.__version__}", "python": sys.version.split()[0]}
    out["server_settle_s"] = wait_settled(a.server_pid)
    out["load_before"] = os.getloadavg()
    out["log_batch"] = log_batch_bench(client, a.calls, a.per_call, a.server_pid)
    print(f"[{a.label}] log_batch: {out['log_batch']}", flush=True)
    out["load_before_search"] = os.getloadavg()
    out["search_runs"] = search_bench(client, a.runs, a.reps, a.threads, a.server_pid)
    print(f"[{a.label}] search_runs: {out['search_runs']}", flush=True)
    out["load_after"] = os.getloadavg()
    # Measured last: right after start-up mlflow's job runner is still starting its consumers.
    out["server_idle_cpu_s_per_s"] = server_idle_rate(a.server_pid)
    with open(a.out, "w") as f:
        json.dump(out, f, indent=2)


if __name__ == "__main__":
    main()
