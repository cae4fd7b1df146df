#!/usr/bin/python3
"""Golden values for io.tapeflow.models.Evaluation, computed by scikit-learn (and NumPy for the training losses).

Run from this directory with the system Python that has scikit-learn (Debian: apt-get install -y python3-sklearn):
    /usr/bin/python3 make_evaluation_golden.py
It rewrites evaluation_golden.json. Inputs are float32 (as the model's outputs are), written as the float64 value
of each float32, which reads back exactly; scikit-learn is given the same values as float64, as the service reads
them. Expected values are float64, written in the shortest form that reads back exactly.
"""
import json

import numpy as np
import sklearn
from sklearn import metrics

EPS = 1e-7  # the training losses' clip (Keras' epsilon)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def model_loss(name, dense, outputs, truth=None):
    """The training loss in float64, the mean over every label value, as Evaluation documents it."""
    y = dense.astype(np.float64)
    p = outputs.astype(np.float64)
    if name == "mse":
        return float(np.mean((y - p) ** 2))
    if name == "half_mse":
        return float(np.mean((y - p) ** 2) / 2)
    if name == "binary_crossentropy":
        q = np.clip(p, EPS, 1 - EPS)
        return float(np.mean(-(y * np.log(q) + (1 - y) * np.log(1 - q))))
    if name in ("categorical_crossentropy", "sparse_categorical_crossentropy"):
        q = np.clip(p / p.sum(axis=1, keepdims=True), EPS, 1 - EPS)
        return float(np.mean(-np.log(q[np.arange(len(truth)), truth])))
    raise ValueError(name)


def classifier_case(name, kind, loss, labels, outputs, truth, classes):
    p64 = outputs.astype(np.float64)
    k = list(range(classes))
    if kind == "binary":
        predicted = (p64[:, 0] > 0.5).astype(int)
        score = p64[:, 0]
        auc = metrics.roc_auc_score(truth, score)
        fpr, tpr, thresholds = metrics.roc_curve(truth, score, drop_intermediate=True)
        roc = {"fpr": flat(fpr), "tpr": flat(tpr), "thresholds": flat(thresholds)}
        ll = metrics.log_loss(truth, score, labels=k)
        dense = labels
    else:
        predicted = np.argmax(p64, axis=1)
        auc = metrics.roc_auc_score(truth, p64, multi_class="ovr", average="macro", labels=k)
        roc = None
        ll = metrics.log_loss(truth, p64, labels=k)
        dense = np.eye(classes)[truth]
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        truth, predicted, labels=k, average=None, zero_division=0)
    averages = {}
    for avg in ("macro", "weighted"):
        p, r, f, _ = metrics.precision_recall_fscore_support(truth, predicted, labels=k, average=avg,
                                                             zero_division=0)
        averages[avg] = {"precision": float(p), "recall": float(r), "f1": float(f)}
    return {
        "name": name, "kind": kind, "loss": loss,
        "rows": int(labels.shape[0]), "labelWidth": int(labels.shape[1]), "outputWidth": int(outputs.shape[1]),
        "labels": flat(labels), "outputs": flat(outputs),
        "expected": {
            "loss": model_loss(loss, dense, outputs, truth),
            "accuracy": float(metrics.accuracy_score(truth, predicted)),
            "log_loss": float(ll),
            "roc_auc": float(auc),
            "precision": flat(precision), "recall": flat(recall), "f1": flat(f1),
            "support": [int(s) for s in support],
            "averages": averages,
            "confusionMatrix": metrics.confusion_matrix(truth, predicted, labels=k).tolist(),
            "roc": roc,
        },
    }


def regression_case(name, loss, labels, outputs):
    y = labels.astype(np.float64)
    p = outputs.astype(np.float64)
    return {
        "name": name, "kind": "regression", "loss": loss,
        "rows": int(labels.shape[0]), "labelWidth": int(labels.shape[1]), "outputWidth": int(outputs.shape[1]),
        "labels": flat(labels), "outputs": flat(outputs),
        "expected": {
            "loss": model_loss(loss, labels, outputs),
            "mse": float(metrics.mean_squared_error(y, p)),
            "rmse": float(metrics.mean_squared_error(y, p, squared=False)),
            "mae": float(metrics.mean_absolute_error(y, p)),
            "r2": float(metrics.r2_score(y, p)),
        },
    }


def softmax32(logits):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return f32(e / e.sum(axis=1, keepdims=True))


def main():
    rng = np.random.default_rng(20261201)
    cases = []

    # binary: scores on a 0.05 grid (many ties, some exactly 0.5, which is class 0), plus 0 and 1 exactly
    n = 80
    truth = rng.integers(0, 2, n)
    score = np.clip(np.round((0.5 + 0.35 * (2 * truth - 1) + rng.normal(0, 0.25, n)) * 20) / 20, 0, 1)
    score[:4] = [0.5, 0.5, 0.0, 1.0]
    cases.append(classifier_case("binary_ties", "binary", "binary_crossentropy",
                                 f32(truth[:, None]), f32(score[:, None]), truth, 2))

    # binary, continuous scores, a loss other than cross-entropy
    n = 50
    truth = rng.integers(0, 2, n)
    score = 1 / (1 + np.exp(-(2.0 * (2 * truth - 1) + rng.normal(0, 1.5, n))))
    cases.append(classifier_case("binary_mse", "binary", "mse", f32(truth[:, None]), f32(score[:, None]), truth, 2))

    # 3 classes, index labels; class 2 is never predicted; rows 0 and 1 tie between classes (first maximum wins)
    n = 90
    truth = rng.integers(0, 3, n)
    logits = rng.normal(0, 1, (n, 3)) + 1.5 * np.eye(3)[truth]
    logits[:, 2] -= 6
    probs = softmax32(logits)
    probs[0] = f32([0.4, 0.4, 0.2])
    probs[1] = f32([0.25, 0.375, 0.375])
    cases.append(classifier_case("three_classes_index_labels", "multiclass", "sparse_categorical_crossentropy",
                                 f32(truth[:, None]), probs, truth, 3))

    # 4 classes, one-hot labels; class 1 is never predicted
    n = 120
    truth = rng.integers(0, 4, n)
    logits = rng.normal(0, 1.2, (n, 4)) + 2.0 * np.eye(4)[truth]
    logits[:, 1] -= 8
    probs = softmax32(logits)
    cases.append(classifier_case("four_classes_one_hot", "multiclass", "categorical_crossentropy",
                                 f32(np.eye(4)[truth]), probs, truth, 4))

    # regression: one output, two outputs, and a constant target (predicted exactly: R² 1; not: R² 0)
    n = 70
    x = rng.uniform(-10, 10, n)
    y = 2 * x + 3 + rng.normal(0, 2, n)
    cases.append(regression_case("regression_one_output", "half_mse",
                                 f32(y[:, None]), f32((2.1 * x + 2.5)[:, None])))
    y2 = np.stack([y, -3 * x + rng.normal(0, 5, n)], axis=1)
    p2 = np.stack([2.1 * x + 2.5, -2.5 * x + 1], axis=1)
    cases.append(regression_case("regression_two_outputs", "mse", f32(y2), f32(p2)))
    n = 30
    y3 = np.stack([np.full(n, 2.5), np.full(n, -1.25)], axis=1)
    p3 = np.stack([np.full(n, 2.5), -1.25 + rng.normal(0, 0.5, n)], axis=1)
    cases.append(regression_case("regression_constant_target", "mse", f32(y3), f32(p3)))

    golden = {"generator": "make_evaluation_golden.py", "sklearn": sklearn.__version__,
              "numpy": np.__version__, "cases": cases}
    with open("evaluation_golden.json", "w") as out:
        json.dump(golden, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
