#!/usr/bin/env python3
"""Exports the classic tables scikit-learn ships with its package as CSVs, as a user would upload them.

    apt-get install -y python3-sklearn && /usr/bin/python3 make_tables.py

Reads only the files inside the sklearn package (no download). Writes iris.csv (label `species`: setosa,
versicolor, virginica), wine.csv (label `cultivar`: class_0..class_2) and breast_cancer.csv (label `diagnosis`:
malignant, benign) beside this script: the feature columns under scikit-learn's names, then the label column holding
the class *names*. Numbers are written with Python's repr, which round-trips the float64 read from the package files.
"""
import csv
import os

from sklearn import datasets

HERE = os.path.dirname(os.path.abspath(__file__))


def export(name, bunch, label):
    path = os.path.join(HERE, name + ".csv")
    with open(path, "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(list(bunch.feature_names) + [label])
        for row, target in zip(bunch.data, bunch.target):
            writer.writerow([repr(float(v)) for v in row] + [str(bunch.target_names[target])])
    print(f"{path}: {len(bunch.data)} rows, {len(bunch.feature_names)} features, classes {list(bunch.target_names)}")


export("iris", datasets.load_iris(), "species")
export("wine", datasets.load_wine(), "cultivar")
export("breast_cancer", datasets.load_breast_cancer(), "diagnosis")
