"""scikit-learn baselines for bench/insights-ml.ts (run by it; needs Debian's python3-sklearn).

  insights-sklearn.py export-breast-cancer OUT.csv   writes sklearn's bundled data set as CSV
  insights-sklearn.py evaluate SPEC.json             fits LogisticRegression and
                                                     HistGradientBoostingClassifier on each data
                                                     set's train rows, prints held-out AUCs as JSON

Both sides read the same CSV and the same `split` column, so the AUCs are on identical rows.
Preprocessing mirrors the TypeScript encoder: median imputation with a missing flag, one-hot
of the frequent levels, dates as days before a reference time, multi-hot tags.
"""

import csv
import json
import sys
import time
from datetime import datetime

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def export_breast_cancer(path):
    data = load_breast_cancer()
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([f"f{j}" for j in range(data.data.shape[1])] + ["label"])
        for row, label in zip(data.data, data.target):
            writer.writerow([repr(float(v)) for v in row] + [int(label)])


def to_float(value, kind, reference):
    if value == "":
        return np.nan
    if kind == "boolean":
        return 1.0 if value == "true" else 0.0 if value == "false" else np.nan
    if kind == "date":
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return (reference - at).total_seconds() / 86400.0
    try:
        return float(value)
    except ValueError:
        return np.nan


def encode(rows, spec, train_mask, top_k=10):
    """Design matrix fitted on the train rows only, like the TypeScript encoder."""
    reference = datetime.fromisoformat(spec["reference"].replace("Z", "+00:00"))
    columns = []
    for kind in ("numeric", "boolean", "date"):
        for name in spec.get(kind, []):
            values = np.array([to_float(r[name], kind, reference) for r in rows])
            missing = np.isnan(values)
            median = np.nanmedian(values[train_mask]) if (~missing[train_mask]).any() else 0.0
            columns.append(np.where(missing, median, values))
            if missing[train_mask].any():
                columns.append(missing.astype(float))
    for name in spec.get("categorical", []):
        values = np.array([r[name] or "(none)" for r in rows])
        levels, counts = np.unique(values[train_mask], return_counts=True)
        kept = [l for _, l in sorted(zip(-counts, levels))][:top_k]
        for level in kept:
            columns.append((values == level).astype(float))
        columns.append((~np.isin(values, kept)).astype(float))
    for name in spec.get("tags", []):
        sets = [set(t for t in r[name].split("|") if t) for r in rows]
        seen = {}
        for s, is_train in zip(sets, train_mask):
            if is_train:
                for t in s:
                    seen[t] = seen.get(t, 0) + 1
        for tag in sorted(seen, key=lambda t: -seen[t])[:top_k]:
            columns.append(np.array([1.0 if tag in s else 0.0 for s in sets]))
    return np.column_stack(columns)


def evaluate(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    results = []
    for dataset in spec["datasets"]:
        with open(dataset["csv"], newline="") as f:
            rows = list(csv.DictReader(f))
        split = np.array([r["split"] for r in rows])
        y = np.array([int(r["label"]) for r in rows])
        for train_name in dataset["trainSplits"]:
            train = split == train_name
            test = split == "test"
            x = encode(rows, dataset, train)
            entry = {"dataset": dataset["name"], "train": train_name, "trainRows": int(train.sum()),
                     "testRows": int(test.sum()), "cols": int(x.shape[1])}
            for label, model in (
                ("logisticRegression", make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))),
                ("histGradientBoosting", HistGradientBoostingClassifier(random_state=0)),
            ):
                started = time.perf_counter()
                cpu = time.process_time()
                model.fit(x[train], y[train])
                cpu_seconds = time.process_time() - cpu
                seconds = time.perf_counter() - started
                auc = roc_auc_score(y[test], model.predict_proba(x[test])[:, 1])
                entry[label] = {"auc": float(auc), "fitSeconds": seconds, "fitCpuSeconds": cpu_seconds}
            results.append(entry)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "export-breast-cancer":
        export_breast_cancer(sys.argv[2])
    elif sys.argv[1] == "evaluate":
        evaluate(sys.argv[2])
    else:
        raise SystemExit(__doc__)
