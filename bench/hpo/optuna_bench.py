"""Optuna's side of the HPO benchmark (run by bench/hpo/sample-efficiency.ts and bench/hpo/overhead.ts).

Same problems as bench/hpo/problems.ts. Modes:
  efficiency --problems a,b --seeds 0..19 --trials 200 --checkpoints 50,100,200 --workers 2
      one JSON line per (problem, seed): best value at each checkpoint (TPESampler, default settings).
  overhead --trials 1000 --dims 6 --window 50
      sampler time per trial around trial N of a 6-dim TPE study (in-memory storage), as JSON.
  trial-overhead --trials 1000 --dims 6 --storage sqlite:///path.db|memory
      ask + suggests + tell per trial of a 6-dim TPE study on the sphere, every trial timed (wall and CPU), as JSON.
"""
import argparse
import json
import math
import sys
import time
from multiprocessing import Pool

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(x):
    x1, x2 = x
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
H6_ALPHA = [1, 1.2, 3, 3.2]


def hartmann6(x):
    s = 0.0
    for i in range(4):
        inner = sum(H6_A[i][j] * (x[j] - H6_P[i][j] * 1e-4) ** 2 for j in range(6))
        s += H6_ALPHA[i] * math.exp(-inner)
    return -s


def styblinski_tang(x):
    return 0.5 * sum(v ** 4 - 16 * v * v + 5 * v for v in x)


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def ackley(x):
    d = len(x)
    sq = sum(v * v for v in x) / d
    cs = sum(math.cos(2 * math.pi * v) for v in x) / d
    return -20 * math.exp(-0.2 * math.sqrt(sq)) - math.exp(cs) + 20 + math.e


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    d = len(w)
    s = math.sin(math.pi * w[0]) ** 2
    for i in range(d - 1):
        s += (w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2)
    s += (w[d - 1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[d - 1]) ** 2)
    return s


def box(bounds, f):
    def objective(trial):
        return f([trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)])
    return objective


def mixed(trial):
    model = trial.suggest_categorical("model", ["linear", "tree", "nn"])
    lr = trial.suggest_float("lr", 1e-5, 1, log=True)
    lr_term = (math.log10(lr) + 2) ** 2
    if model == "linear":
        l2 = trial.suggest_float("l2", 1e-6, 10, log=True)
        return 1.0 + 0.5 * lr_term + 0.1 * (math.log10(l2) + 3) ** 2
    if model == "tree":
        depth = trial.suggest_int("depth", 1, 20)
        leaves = trial.suggest_int("min_leaf", 1, 64, log=True)
        return 0.5 + 0.3 * lr_term + ((depth - 12) / 4) ** 2 + 0.2 * (math.log2(leaves) - 3) ** 2
    layers = trial.suggest_int("layers", 1, 8)
    units = trial.suggest_int("units", 8, 1024, log=True)
    dropout = trial.suggest_float("dropout", 0, 0.6, step=0.05)
    return lr_term + 0.5 * (layers - 3) ** 2 + 0.3 * (math.log2(units) - 7) ** 2 + 10 * (dropout - 0.2) ** 2


PROBLEMS = {
    "branin": box([(-5, 10), (0, 15)], branin),
    "hartmann6": box([(0, 1)] * 6, hartmann6),
    "styblinski_tang5": box([(-5, 5)] * 5, styblinski_tang),
    "rosenbrock4": box([(-5, 10)] * 4, rosenbrock),
    "ackley5": box([(-32.768, 32.768)] * 5, ackley),
    "levy6": box([(-10, 10)] * 6, levy),
    "mixed": mixed,
}


def run_one(job):
    problem, seed, n_trials, checkpoints = job
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    t0 = time.perf_counter()
    study.optimize(PROBLEMS[problem], n_trials=n_trials)
    seconds = time.perf_counter() - t0
    best, out = math.inf, {}
    for t in study.trials:
        best = min(best, t.value)
        if t.number + 1 in checkpoints:
            out[str(t.number + 1)] = best
    return {"problem": problem, "seed": seed, "best": out, "seconds": seconds}


def efficiency(args):
    checkpoints = [int(c) for c in args.checkpoints.split(",")]
    lo, hi = (int(s) for s in args.seeds.split(".."))
    jobs = [(p, s, args.trials, checkpoints) for p in args.problems.split(",") for s in range(lo, hi + 1)]
    with Pool(args.workers) as pool:
        for result in pool.imap_unordered(run_one, jobs):
            print(json.dumps(result), flush=True)


def overhead(args):
    """Times the sampler alone: ask() with a fixed space, outside the objective."""
    dists = {f"x{i}": optuna.distributions.FloatDistribution(-5, 5) for i in range(args.dims)}
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    times = []
    for n in range(args.trials):
        t0 = time.perf_counter()
        trial = study.ask(dists)
        dt = time.perf_counter() - t0
        study.tell(trial, sum(v * v for v in trial.params.values()))
        if n >= args.trials - args.window:
            times.append(dt * 1000)
    times.sort()
    print(json.dumps({"optuna": optuna.__version__, "trials": args.trials, "dims": args.dims,
                      "window": args.window, "median_ms": times[len(times) // 2]}))


def trial_overhead(args):
    """Times each whole trial (ask, the suggestions, a trivial objective, tell) through the given storage."""
    storage = None if args.storage == "memory" else args.storage
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0), storage=storage)
    times, cpu = [], []
    for _ in range(args.trials):
        t0, c0 = time.perf_counter(), time.process_time()
        trial = study.ask()
        xs = [trial.suggest_float(f"x{i}", -5, 5) for i in range(args.dims)]
        study.tell(trial, sum(v * v for v in xs))
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(json.dumps({"optuna": optuna.__version__, "storage": "memory" if storage is None else "sqlite",
                      "trials": args.trials, "dims": args.dims, "times_ms": times, "cpu_ms": cpu}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    e = sub.add_parser("efficiency")
    e.add_argument("--problems", default=",".join(PROBLEMS))
    e.add_argument("--seeds", default="0..19")
    e.add_argument("--trials", type=int, default=200)
    e.add_argument("--checkpoints", default="50,100,200")
    e.add_argument("--workers", type=int, default=2)
    o = sub.add_parser("overhead")
    o.add_argument("--trials", type=int, default=1000)
    o.add_argument("--dims", type=int, default=6)
    o.add_argument("--window", type=int, default=50)
    t = sub.add_parser("trial-overhead")
    t.add_argument("--trials", type=int, default=1000)
    t.add_argument("--dims", type=int, default=6)
    t.add_argument("--storage", default="memory")
    args = ap.parse_args()
    {"efficiency": efficiency, "overhead": overhead, "trial-overhead": trial_overhead}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
