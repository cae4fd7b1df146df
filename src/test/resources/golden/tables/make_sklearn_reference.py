"""scikit-learn's held-out accuracy on the classic tables, the reference the service's defaults are held to.

For each table of src/test/resources/tables: a stratified 80/20 split (train_test_split, random_state=0) written as
<table>_train.csv and <table>_test.csv beside this script, and the test accuracy of scikit-learn's MLPClassifier
with its defaults on standardized features (a Pipeline of StandardScaler and MLPClassifier(random_state=r)), for
five seeds r: TabularTrainingTests trains the service with its defaults on the same files and compares.

    apt-get install -y python3-sklearn && /usr/bin/python3 make_sklearn_reference.py
"""
import csv
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
TABLES = os.path.join(HERE, "..", "..", "tables")
LABELS = {"iris": "species", "wine": "cultivar", "breast_cancer": "diagnosis"}


def read(name):
    with open(os.path.join(TABLES, name + ".csv"), newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    warnings.simplefilter("ignore", ConvergenceWarning)
    out = {"sklearn": sklearn.__version__, "tables": {}}
    for name, label in LABELS.items():
        header, rows = read(name)
        j = header.index(label)
        y = np.array([r[j] for r in rows])
        train, test = train_test_split(rows, test_size=0.2, random_state=0, stratify=y)
        write(os.path.join(HERE, name + "_train.csv"), header, train)
        write(os.path.join(HERE, name + "_test.csv"), header, test)

        def xy(part):
            x = np.array([[float(v) for k, v in enumerate(r) if k != j] for r in part])
            return x, np.array([r[j] for r in part])

        xtr, ytr = xy(train)
        xte, yte = xy(test)
        scores = []
        for seed in range(5):
            model = make_pipeline(StandardScaler(), MLPClassifier(random_state=seed))
            model.fit(xtr, ytr)
            scores.append(float(model.score(xte, yte)))
        out["tables"][name] = {"label": label, "train_rows": len(train), "test_rows": len(test),
                               "test_accuracy": scores, "mean_test_accuracy": float(np.mean(scores))}
    with open(os.path.join(HERE, "sklearn_reference.json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
