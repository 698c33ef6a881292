"""scikit-learn's answers for the cases on stdin (JSON list), as JSON on stdout: the reference the
metrics tests compare with. Run with Debian's python3 (python3-sklearn)."""
import json
import math
import sys

import numpy as np
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
        # scikit-learn's default label set for averages: the classes in the truth or the predictions
        pr, rc, f1, _ = metrics.precision_recall_fscore_support(t, p, average=average, zero_division=0)
        out[f"precision_{average}"], out[f"recall_{average}"], out[f"f1_{average}"] = float(pr), float(rc), float(f1)
    return out


def regression(case):
    t, p = case["truth"], case["predicted"]
    return {
        "mae": metrics.mean_absolute_error(t, p),
        "rmse": math.sqrt(metrics.mean_squared_error(t, p)),
        "r2": None if len(t) < 2 else metrics.r2_score(t, p),
    }


def curve(x, y, thresholds):
    return {"x": [float(v) for v in x], "y": [float(v) for v in y], "thresholds": [float(v) for v in thresholds]}


def one_vs_rest(y, scores):
    """Per class scored as positive: ROC (with drop_intermediate) and PR curves, AUC and AP where defined."""
    out = {"roc_auc": None, "average_precision": None}
    if 0 < sum(y) < len(y):
        out["roc_auc"] = float(metrics.roc_auc_score(y, scores))
        fpr, tpr, thresholds = metrics.roc_curve(y, scores)
        out["roc"] = curve(fpr, tpr, thresholds)
    if sum(y) > 0:
        out["average_precision"] = float(metrics.average_precision_score(y, scores))
        precision, recall, thresholds = metrics.precision_recall_curve(y, scores)
        out["pr"] = curve(recall, precision, thresholds)
    return out


def ranking(case):
    """`labels` in the model's order, `probabilities` rows in that order; scikit-learn wants sorted classes."""
    labels, truth = case["labels"], case["truth"]
    probabilities = np.array(case["probabilities"], dtype=np.float64)
    scored = [1] if len(labels) == 2 else range(len(labels))
    out = {"classes": [one_vs_rest([t == labels[k] for t in truth], probabilities[:, k]) for k in scored]}
    order = sorted(range(len(labels)), key=lambda k: labels[k])
    by_sorted_label = probabilities[:, order]
    sorted_labels = [labels[k] for k in order]
    everyone_present = set(truth) == set(labels)
    out["roc_auc"] = out["classes"][0]["roc_auc"] if len(labels) == 2 else None
    if len(labels) > 2 and everyone_present:
        out["roc_auc"] = float(metrics.roc_auc_score(truth, by_sorted_label, multi_class="ovr", labels=sorted_labels))
    out["log_loss"] = None
    if len(labels) >= 2 and set(truth) <= set(labels):
        out["log_loss"] = float(metrics.log_loss(truth, by_sorted_label, labels=sorted_labels))
    return out


def segments(case):
    """Classification metrics per segment, each segment on its own classes, as scikit-learn's defaults have it."""
    out = {}
    for segment in sorted(set(case["segments"])):
        rows = [i for i, s in enumerate(case["segments"]) if s == segment]
        t = [case["truth"][i] for i in rows]
        p = [case["predicted"][i] for i in rows]
        pr, rc, f1, _ = metrics.precision_recall_fscore_support(t, p, average="macro", zero_division=0)
        out[segment] = {"rows": len(rows), "accuracy": metrics.accuracy_score(t, p), "precision_macro": float(pr), "recall_macro": float(rc), "f1_macro": float(f1)}
    return out


kinds = {"classification": classification, "regression": regression, "ranking": ranking, "segments": segments}
cases = json.load(sys.stdin)
json.dump([kinds[c["kind"]](c) for c in cases], sys.stdout)
