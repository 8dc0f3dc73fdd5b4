"""A tiny trial for the sweep e2e tests: logs loss per step to its Cairn run over plain HTTP."""
import json, os, sys, time, urllib.request

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
x = float(args.get("--x", "0"))
steps = int(args.get("--steps", "6"))
delay = float(args.get("--delay", "0.2"))
if "--pidfile" in args:
    with open(args["--pidfile"], "w") as f:
        f.write(str(os.getpid()))
url = f"{os.environ['CAIRN_URL']}/api/v1/runs/{os.environ['CAIRN_RUN_ID']}/batch"
for step in range(steps):
    loss = (x - 0.3) ** 2 + 1.0 / (step + 1)
    body = json.dumps({"metrics": [{"key": "loss", "value": loss, "step": step}]}).encode()
    req = urllib.request.Request(url, data=body, headers={"content-type": "application/json"}, method="POST")
    urllib.request.urlopen(req).read()
    print(f"step {step} loss {loss:.4f}", flush=True)
    time.sleep(delay)
