"""Anchor for bench/data-profile.ts: pandas read_csv + describe on the same file, timed.

Usage: python pandas_profile.py FILE REPS   -> prints one JSON line with the timings in ms.
"""
import json
import sys
import time

import pandas as pd

path, reps = sys.argv[1], int(sys.argv[2])
out = {"pandas": pd.__version__, "read_ms": [], "describe_ms": [], "extra_ms": []}
for _ in range(reps):
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    t1 = time.perf_counter()
    # describe(include="all"): count, mean, std, min, quartiles, max for numbers; unique, top, freq for text.
    d = df.describe(include="all")
    t2 = time.perf_counter()
    # What Cairn's profile has beyond describe: missing %, distinct counts, 20-bin histograms.
    missing = df.isna().mean()
    distinct = df.nunique()
    hists = {c: pd.cut(df[c], 20).value_counts(sort=False) for c in df.select_dtypes("number").columns}
    t3 = time.perf_counter()
    out["read_ms"].append((t1 - t0) * 1000)
    out["describe_ms"].append((t2 - t1) * 1000)
    out["extra_ms"].append((t3 - t2) * 1000)
    out["shape"] = list(df.shape)
    del df, d, missing, distinct, hists
print(json.dumps(out))
