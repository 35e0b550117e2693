#!/usr/bin/env python3
"""Rebuilds data/demo/fashion/ (40 Fashion-MNIST test images per class as PNG, one folder per class)
from Debian's dataset-fashion-mnist (MIT). Run once by a developer; the product never needs Python.
Usage: scripts/make-demo-images.py PATH/TO/fashion-mnist (the folder of t10k-*-ubyte.gz)"""
import gzip, os, random, sys
import numpy as np
from PIL import Image

names = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]
src = sys.argv[1]
with gzip.open(os.path.join(src, "t10k-images-idx3-ubyte.gz")) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
with gzip.open(os.path.join(src, "t10k-labels-idx1-ubyte.gz")) as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
rng = random.Random(20261126)
for k, name in enumerate(names):
    ids = [i for i in range(len(labels)) if labels[i] == k]
    os.makedirs(f"data/demo/fashion/{name}", exist_ok=True)
    for i in sorted(rng.sample(ids, 40)):
        Image.fromarray(images[i]).save(f"data/demo/fashion/{name}/{i:05d}.png", optimize=True)
