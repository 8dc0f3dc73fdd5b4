"""Seeds an mlflow SQLite store with the UI benchmark's runs, through mlflow's own store code.

Usage: python bench/ui/mlflow_seed.py DB_FILE ARTIFACT_DIR RUNS
Prints the experiment id. Same shape as bench/ui.ts seeds into Cairn: RUNS finished runs named
run-0 … run-(RUNS-1), one second apart, each with 10 params (every third one categorical),
15 metrics at step 1 and 5 tags; values from a seeded generator.
"""
import random
import sys

from mlflow.entities import Metric, Param, RunStatus, RunTag
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

db, artifacts, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = SqlAlchemyStore(f"sqlite:///{db}", artifacts)
exp = store.create_experiment("ui-bench")
rnd = random.Random(7)
t0 = 1767225600000  # 2026-01-01, as in bench/ui.ts
for i in range(runs):
    ts = t0 + i * 1000
    run = store.create_run(exp, user_id="bench", start_time=ts, tags=[], run_name=f"run-{i}")
    rid = run.info.run_id
    params = [Param(f"p{p}", rnd.choice(["adam", "sgd", "lamb"]) if p % 3 == 0 else f"{rnd.random() * 10:.4f}") for p in range(10)]
    tags = [RunTag(f"t{t}", f"v{rnd.randrange(20)}") for t in range(5)]
    metrics = [Metric(f"m{m}", rnd.random(), ts, 1) for m in range(15)]
    store.log_batch(rid, metrics=metrics, params=params, tags=tags)
    store.update_run_info(rid, RunStatus.FINISHED, ts + 500, None)
    if (i + 1) % 1000 == 0:
        print(f"mlflow_seed: {i + 1} runs", file=sys.stderr, flush=True)
print(exp)
