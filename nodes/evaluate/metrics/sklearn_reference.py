"""scikit-learn's answers for the cases on stdin (JSON list), as JSON on stdout: the reference the
metrics tests compare with. Run with Debian's python3 (python3-sklearn)."""
import json
import math
import sys

from sklearn import metrics


def classification(case):
    labels = case["labels"]
    t, p = case["truth"], case["predicted"]
    per = metrics.precision_recall_fscore_support(t, p, labels=labels, zero_division=0)
    out = {
        "accuracy": metrics.accuracy_score(t, p),
        "confusion_matrix": metrics.confusion_matrix(t, p, labels=labels).tolist(),
        "per_class": [
            {"precision": float(per[0][i]), "recall": float(per[1][i]), "f1": float(per[2][i]), "support": int(per[3][i])}
            for i in range(len(labels))
        ],
    }
    for average in ("macro", "weighted"):
        pr, rc, f1, _ = metrics.precision_recall_fscore_support(t, p, labels=labels, average=average, zero_division=0)
        out[f"precision_{average}"], out[f"recall_{average}"], out[f"f1_{average}"] = float(pr), float(rc), float(f1)
    return out


def regression(case):
    t, p = case["truth"], case["predicted"]
    return {
        "mae": metrics.mean_absolute_error(t, p),
        "rmse": math.sqrt(metrics.mean_squared_error(t, p)),
        "r2": None if len(t) < 2 else metrics.r2_score(t, p),
    }


cases = json.load(sys.stdin)
json.dump([classification(c) if c["kind"] == "classification" else regression(c) for c in cases], sys.stdout)
