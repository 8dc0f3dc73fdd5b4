#!/usr/bin/env bash
# The same mlflow Python client against Cairn and against a real `mlflow server` (SQLite backend),
# one server after the other on loopback, then writes bench/results/mlflow.json.
# Usage: bash bench/mlflow/run.sh [extra bench.py args, e.g. --runs 1000 --calls 10]
# Needs a built Cairn (npm run build) and python3 with venv; makes .cairn/venv-mlflow-client and
# .cairn/venv-mlflow-server (bench/mlflow/setup.sh).
# Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
node="${CAIRN_NODE:-node}"
bash bench/mlflow/setup.sh
py="$root/.cairn/venv-mlflow-client/bin/python"   # the one client, for both servers
[ -d dist/src ] || npm run build

tmp=$(mktemp -d /tmp/cairn-mlflow-bench.XXXXXX)
pid=""
stop_server() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=""
}
cleanup() { stop_server; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { # url path
  for _ in $(seq 1 600); do
    if curl -fsS "$1$2" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "run.sh: server died" >&2; cat "$tmp"/*.log >&2; return 1; fi
    sleep 0.2
  done
  echo "run.sh: server did not come up" >&2; cat "$tmp"/*.log >&2; return 1
}

# --- Cairn ---------------------------------------------------------------------------------------
port=$(free_port)
mkdir -p "$tmp/cairn"
CAIRN_HOME="$tmp/cairn" setsid "$node" bin/cairn.js server --host 127.0.0.1 --port "$port" \
  --db "$tmp/cairn/cairn.db" --artifacts "$tmp/cairn/art" >"$tmp/cairn.log" 2>&1 &
pid=$!
wait_up "http://127.0.0.1:$port" /api/v1/health
echo "run.sh: cairn up on $port (pid $pid)" >&2
"$py" bench/mlflow/bench.py --uri "http://127.0.0.1:$port" --label cairn --out "$tmp/cairn.json" \
  --server-pid "$pid" "$@"
stop_server
sleep 5  # let the load settle between servers

# --- mlflow server -------------------------------------------------------------------------------
port=$(free_port)
mkdir -p "$tmp/mlflow"
MLFLOW_SERVER_CMD=("$root/.cairn/venv-mlflow-server/bin/mlflow" server --host 127.0.0.1 --port "$port"
  --backend-store-uri "sqlite:///$tmp/mlflow/mlflow.db" --artifacts-destination "$tmp/mlflow/mlartifacts")
setsid "${MLFLOW_SERVER_CMD[@]}" >"$tmp/mlflow.log" 2>&1 &
pid=$!
wait_up "http://127.0.0.1:$port" /health
echo "run.sh: mlflow server up on $port (pid $pid)" >&2
workers=$(pgrep -g "$pid" -f 'uvicorn|gunicorn|mlflow' | wc -l || true)
server_procs=$(ps -o pid=,args= -g "$pid" | cut -c1-200 || true)
"$py" bench/mlflow/bench.py --uri "http://127.0.0.1:$port" --label mlflow --out "$tmp/mlflow.json" \
  --server-pid "$pid" "$@"
stop_server
server_version=$("$root/.cairn/venv-mlflow-server/bin/python" -c 'import mlflow; print(mlflow.__version__)')

# --- results -------------------------------------------------------------------------------------
"$py" - "$tmp" "$node" "$workers" "$server_procs" "$server_version" <<'EOF'
import json, os, platform, subprocess, sys, datetime
tmp, node, workers, procs, server_version = sys.argv[1:6]
c = json.load(open(f"{tmp}/cairn.json")); m = json.load(open(f"{tmp}/mlflow.json"))
import mlflow
def sh(*a):
    try: return subprocess.check_output(a, text=True).strip()
    except Exception: return None
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), None)
mem = next((l.split(":", 1)[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal")), None)
cl, ml = c["log_batch"], m["log_batch"]
cs, ms = c["search_runs"], m["search_runs"]
r = lambda a, b: round(a / b, 2) if a is not None and b else None
out = {
    "benchmark": "mlflow client: cairn vs mlflow server",
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "machine": {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "kernel": platform.release()},
    "versions": {"mlflow_client": f"mlflow-skinny {mlflow.__version__}", "mlflow_server": f"mlflow {server_version}",
                 "python": platform.python_version(), "node": sh(node, "--version"),
                 "cairn_commit": sh("git", "rev-parse", "--short", "HEAD")},
    "mlflow_server": {"backend": "sqlite", "artifacts": "--artifacts-destination (local dir)",
                      "flags": "defaults (no --workers)", "processes": procs.splitlines(),
                      "process_count": int(workers or 0)},
    "cairn": c, "mlflow": m,
    "ratios": {
        # The issue's figures: wall time through the client, mlflow over Cairn.
        "log_batch_points_per_s_cairn_over_mlflow": r(cl["points_per_s"], ml["points_per_s"]),
        "search_runs_p50_mlflow_over_cairn": r(ms["p50_ms"], cs["p50_ms"]),
        "target": ">= 20x on each",
        # Server CPU time over the same windows (each server's whole process group).
        "log_batch_server_cpu_mlflow_over_cairn": r(ml["server_cpu_s"], cl["server_cpu_s"]),
        "search_runs_server_cpu_mlflow_over_cairn": r(ms["server_cpu_ms_per_call"], cs["server_cpu_ms_per_call"]),
        # The client's CPU share of Cairn's wall time, and the best wall ratio any server could
        # reach with this client: mlflow's wall time over the client's own CPU time against Cairn.
        "log_batch_cairn_client_cpu_share": r(cl["client_cpu_s"], cl["wall_s"]),
        "log_batch_wall_ratio_ceiling": r(ml["wall_s"], cl["client_cpu_s"]),
        "search_runs_cairn_client_cpu_share": r(cs["client_cpu_ms_per_call"], cs["wall_ms_per_call"]),
        "search_runs_wall_ratio_ceiling": r(ms["wall_ms_per_call"], cs["client_cpu_ms_per_call"]),
    },
}
os.makedirs("bench/results", exist_ok=True)
with open("bench/results/mlflow.json", "w") as f:
    json.dump(out, f, indent=2); f.write("\n")
print(json.dumps(out["ratios"]))
print(f"log_batch {cl['points_per_s']} vs {ml['points_per_s']} points/s; search p50 {cs['p50_ms']} vs {ms['p50_ms']} ms")
EOF
