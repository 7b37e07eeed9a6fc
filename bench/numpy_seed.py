"""The seed recipe in numpy (float32): TwoLayerNet 784-50-10 (Affine-ReLU-Affine-softmax, as the book's
layered TwoLayerNet), SGD lr 0.1, batch 100 drawn with replacement.

Usage: python3 numpy_seed.py MNIST_DIR ITERS [--no-eval]
Prints one JSON line: load/train/eval/wall seconds, steps per second, final accuracies.
Reads the IDX files itself, as descent does.
"""
import json
import sys
import time

import numpy as np

t_start = time.perf_counter()


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


def main():
    root, iters = sys.argv[1], int(sys.argv[2])
    evaluate = "--no-eval" not in sys.argv
    x_train = read_idx(f"{root}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    t_train = read_idx(f"{root}/train-labels-idx1-ubyte").astype(np.int64)
    x_test = read_idx(f"{root}/t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    t_test = read_idx(f"{root}/t10k-labels-idx1-ubyte").astype(np.int64)
    t_loaded = time.perf_counter()

    rng = np.random.default_rng(0)
    w1 = (0.01 * rng.standard_normal((784, 50))).astype(np.float32)
    b1 = np.zeros(50, np.float32)
    w2 = (0.01 * rng.standard_normal((50, 10))).astype(np.float32)
    b2 = np.zeros(10, np.float32)
    lr = np.float32(0.1)
    batch = 100
    per_epoch = max(x_train.shape[0] // batch, 1)

    def accuracy(x, t):
        y = np.maximum(x @ w1 + b1, 0) @ w2 + b2
        return float((y.argmax(axis=1) == t).mean())

    train_s = eval_s = 0.0
    train_acc = test_acc = 0.0
    for i in range(iters):
        t0 = time.perf_counter()
        idx = rng.choice(x_train.shape[0], batch)
        x, t = x_train[idx], t_train[idx]
        a1 = x @ w1 + b1
        z1 = np.maximum(a1, 0)
        y = softmax(z1 @ w2 + b2)
        dy = y.copy()
        dy[np.arange(batch), t] -= 1
        dy /= batch
        gw2 = z1.T @ dy
        gb2 = dy.sum(axis=0)
        dz1 = dy @ w2.T
        da1 = dz1 * (a1 > 0)
        gw1 = x.T @ da1
        gb1 = da1.sum(axis=0)
        w1 -= lr * gw1
        b1 -= lr * gb1
        w2 -= lr * gw2
        b2 -= lr * gb2
        t1 = time.perf_counter()
        train_s += t1 - t0
        if evaluate and (i % per_epoch == 0 or i == iters - 1):
            train_acc, test_acc = accuracy(x_train, t_train), accuracy(x_test, t_test)
            eval_s += time.perf_counter() - t1
    if not evaluate:
        train_acc, test_acc = accuracy(x_train, t_train), accuracy(x_test, t_test)
    print(json.dumps({
        "steps": iters,
        "loadSeconds": t_loaded - t_start,
        "trainSeconds": train_s,
        "evalSeconds": eval_s,
        "wallSeconds": time.perf_counter() - t_start,
        "stepsPerSecond": iters / train_s,
        "finalTrainAcc": train_acc,
        "finalTestAcc": test_acc,
        "numpy": np.__version__,
    }))


main()
