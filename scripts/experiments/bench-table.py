#!/usr/bin/env python3
"""Markdown rows for README.md's benchmark tables from `bench metagrad` / `bench compare` JSON lines.

Usage: scripts/experiments/bench-table.py OUT/NAME.jsonl ...  (lines of bench-speed.sh's output)
Medians with the [min, max] of the repetitions; CPU = the benchmark thread's CPU seconds.
"""
import json
import sys


def spread(d, digits=2):
    return "%.*f [%.*f, %.*f]" % (digits, d["median"], digits, d["min"], digits, d["max"])


def main():
    print("| T | rows | k | vjp | train s | metagrad s | ratio | train CPU s | metagrad CPU s | CPU ratio "
          "| median run's phases (wall s): first run / replay / leaf replay / VJP / other | peak states (bound) | peak state MB | peak RSS MB |")
    print("|" + "---|" * 14)
    for path in sys.argv[1:]:
        rows = path.split("rows")[1].split(".")[0] if "rows" in path else "4096"
        steps = None
        for line in open(path):
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            steps = r.get("steps", steps)
            if "side" in r and r["side"] == "pytorch":
                print("| %d | %s | %d (PyTorch unrolled) | autograd | %s | %s | %s | %s | %s | %s | — | — | — | %.0f |" % (
                    steps, rows, steps, spread(r["train_seconds"]), spread(r["metagrad_seconds"]),
                    spread(r["ratio"]), spread(r["train_cpu_seconds"]), spread(r["metagrad_cpu_seconds"]),
                    spread(r["cpu_ratio"]), r["peak_rss_mb"]))
                continue
            if r.get("side") == "metagrad":
                print("| %d | %s | %d | explicit | %s | %s | %s | %s | %s | %s | — | — | %.1f | %.0f |" % (
                    r["steps"], rows, r["k"], spread(r["train_seconds"]), spread(r["metagrad_seconds"]),
                    spread(r["ratio"]), spread(r["train_cpu_seconds"]), spread(r["metagrad_cpu_seconds"]),
                    spread(r["cpu_ratio"]), r["peak_state_bytes"] / 1e6, r["peak_rss_mb"]))
                continue
            if "k" not in r or "vjp" not in r:
                continue
            p = r["median_run_phase_seconds"]
            print("| %d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %.2f / %.2f / %.2f / %.2f / %.2f | %d (%d) | %.1f | %.0f |" % (
                r["steps"], rows, r["k"], r["vjp"], spread(r["train_seconds"]), spread(r["metagrad_seconds"]),
                spread(r["ratio"]), spread(r["train_cpu_seconds"]), spread(r["metagrad_cpu_seconds"]),
                spread(r["cpu_ratio"]), p["first_run"], p["replay"], p["leaf_replay"], p["vjp"], p["other"],
                r["peak_states"], r["state_bound"], r["peak_state_bytes"] / 1e6, r["peak_rss_mb"]))


if __name__ == "__main__":
    main()
