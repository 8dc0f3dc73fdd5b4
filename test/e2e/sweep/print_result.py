"""A trial for the sweep e2e tests that logs nothing to Cairn: it prints ~100 KB of progress (more than the 64 KiB the sweep keeps), then its result as a final JSON line."""
import json, sys

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
x = float(args.get("--x", "0"))
for i in range(1000):
    print(f"epoch {i} " + "." * 90)
if args.get("--mode") == "garbled":
    print("done, loss was small")
else:
    print(json.dumps({"loss": (x - 0.3) ** 2, "note": "final"}))
    print("")  # trailing blank lines do not count
