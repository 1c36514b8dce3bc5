#!/usr/bin/env python3
"""Markdown tables for docs/results.md §3 from the report.json files of `mgd poison` and `mgd tune-lr` runs.

Usage: results-table.py poison RUN_DIR...   |   results-table.py tune RUN_DIR...
Standard library only.
"""
import json
import os
import sys


def load(run):
    with open(os.path.join(run, "report.json")) as f:
        return json.load(f)


def poison(runs):
    print("| method | poisoned rows | rows relabeled | mean L2 change | validation loss (poisoned) | clean test acc. |"
          " poisoned test acc. | accuracy drop (paired) | poison seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        r = load(run)
        name = r["method"]
        p = r["params"]
        if name == "mgd":
            parts = [k for k in ("features", "labels") if p["optimize_%s" % k]]
            name = "mgd (%s, %d steps, %d replicas)" % ("+".join(parts), r["method_details"]["mgd_steps"], p["replicas"])
        elif name == "gradcancel":
            name = "gradcancel (radius %g)" % p["gc_radius"]
        elif name == "gradient-ascent":
            name = "gradient-ascent (step %s)" % ("%g" % p["ascent_step"] if p["ascent_step"] > 0 else "box span")
        c, q, d = r["clean"]["test_accuracy"], r["poisoned"]["test_accuracy"], r["accuracy_drop"]
        print("| %s | %d | %d | %.2f | %.4f | %.2f ± %.2f %% | %.2f ± %.2f %% | **%.2f ± %.2f** points | %.0f |" % (
            name, r["poisoned_rows"], r["rows_relabeled"], r["mean_feature_change_l2"],
            r["poisoned"]["validation_loss"]["mean"], 100 * c["mean"], 100 * c["std"],
            100 * q["mean"], 100 * q["std"], 100 * d["mean"], 100 * d["std"], r["poison_seconds"]))


def tune(runs):
    print("| method | schedules tried | search validation loss | eval. validation loss | eval. test loss |"
          " eval. test accuracy | compute (training-run equivalents) |")
    print("|---|---|---|---|---|---|---|")
    for run in runs:
        r = load(run)
        s, e, c = r["search"], r["evaluation"], r["compute"]
        tried = s.get("candidates", "%d MGD steps (%s metagradients)" % (s.get("mgd_steps", 0), c.get("metagradients")))
        print("| %s | %s | %.4f | %.4f ± %.4f | %.4f ± %.4f | %.2f ± %.2f %% | %.1f |" % (
            r["method"], tried, s["validation_loss"], e["validation_loss"]["mean"], e["validation_loss"]["std"],
            e["test_loss"]["mean"], e["test_loss"]["std"], 100 * e["test_accuracy"]["mean"], 100 * e["test_accuracy"]["std"],
            c["training_run_equivalents"]))


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("poison", "tune"):
        sys.exit(__doc__)
    {"poison": poison, "tune": tune}[sys.argv[1]](sys.argv[2:])
