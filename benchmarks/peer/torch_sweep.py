#!/usr/bin/env python3
"""PyTorch peer of Thaw's `sweep`: the freeze-depth x learning-rate loop a PyTorch user writes by hand.

Question: how long does plain PyTorch + torchvision take to answer "how much of a pretrained ResNet50 do I freeze,
and at what learning rate?", and how good is its answer? Thaw's side is its own `sweep` on the same space and
images (benchmarks/src/main/java/dev/thaw/benchmarks/SweepVsPeer.java runs both in one invocation and writes
benchmarks/results/sweep-vs-peer.md). Run:

    python3 benchmarks/peer/torch_sweep.py --pretrained /tmp/pre64.pth --out /tmp/sweep.jsonl

Space (issue 13): 4 freeze points -- frozen through torchvision's layer1, layer2, layer3, layer4 (= the head alone)
-- x 3 learning rates (1e-4, 1e-3, 1e-2), --epochs 5 each, Adam at that one rate for everything that trains, batch
32, a fresh 5-class head (nn.Linear's init); frozen parts in eval mode (BatchNorm on its running statistics), the
rest in train mode. Data: Debian's Fashion-MNIST, classes 5-9, --per-class training images and --val-per-class
validation images per class drawn by --seed from the 60,000 training images (or exactly the images of --indices:
{"train": [i, ...], "val": [j, ...]}, as Thaw's side passes them), prepared as torch_transfer.py does (x/255,
bilinear resize to --size, gray to 3 channels, ImageNet mean/std). The model pretrained on classes 0-4 comes from
torch_transfer.py (--pretrain-only --save-pretrained), as SweepVsPeer runs it. Candidates run in the order a user's
nested loop runs them (freeze point outer, rate inner), each keeping its best epoch's weights (in memory); after
the loop the best candidate's (by validation accuracy) are scored on the 5,000 test images of classes 5-9.

Output (JSON lines, appended to --out): one per candidate (freeze, lr, val accuracy per epoch, its seconds, and
"elapsed": seconds since the loop started, for a time-to-quality chart), then one "best" line (configuration, its
validation accuracy, test accuracy, the loop's wall time and the whole script's).
"""
import argparse
import copy
import json
import time

import numpy as np
import torch
import torch.nn.functional as F

import torch_transfer as tt

FREEZE_POINTS = ["layer1", "layer2", "layer3", "layer4"]
STEM = ["conv1", "bn1"]


def frozen_modules(net, point):
    """The modules frozen through `point` (torchvision names), stem included."""
    names = STEM + FREEZE_POINTS[:FREEZE_POINTS.index(point) + 1]
    return [getattr(net, n) for n in names]


def candidate(pretrained, model, point, lr, x, y, vx, vy, epochs, seed):
    """Trains one configuration; returns (validation accuracy per epoch, the weights of its best epoch)."""
    torch.manual_seed(seed)
    net = tt.build(model, 5)
    net.load_state_dict({k: v for k, v in pretrained.items() if not k.startswith("fc.")}, strict=False)
    frozen = frozen_modules(net, point)
    for m in frozen:
        for q in m.parameters():
            q.requires_grad = False
    opt = torch.optim.Adam([q for q in net.parameters() if q.requires_grad], lr=lr)
    gen = torch.Generator().manual_seed(seed)
    val, best = [], None
    for _ in range(epochs):
        net.train()
        for m in frozen:
            m.eval()
        order = torch.randperm(len(x), generator=gen)
        for i, j in tt.batches(len(x), "plain"):
            b = order[i:j]
            loss = F.cross_entropy(net(x[b]), y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
        val.append(tt.accuracy(net, vx, vy))
        if val[-1] == max(val):
            best = copy.deepcopy(net.state_dict())
    return val, best


def images(a, train_y):
    if a.indices:
        with open(a.indices) as f:
            given = json.load(f)
        chosen, val = np.array(sorted(given["train"])), np.array(sorted(given["val"]))
        if np.any(train_y[chosen] < 5) or np.any(train_y[val] < 5) or set(chosen) & set(val):
            raise SystemExit(f"--indices {a.indices}: train and val must be disjoint images of classes 5-9")
        return chosen, val
    rng = np.random.default_rng(a.seed)
    both = tt.pick(train_y, range(5, 10), a.per_class + a.val_per_class, rng)
    labels = train_y[both]
    chosen, val = [], []
    for c in range(5, 10):
        mine = rng.permutation(both[labels == c])
        chosen.extend(mine[:a.per_class])
        val.extend(mine[a.per_class:])
    return np.array(sorted(chosen)), np.array(sorted(val))


def main():
    script_start = time.time()
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="resnet50")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--per-class", type=int, default=200)
    p.add_argument("--val-per-class", type=int, default=200)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--freeze", default=",".join(FREEZE_POINTS), help="freeze points, of " + ",".join(FREEZE_POINTS))
    p.add_argument("--lrs", default="1e-4,1e-3,1e-2")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--pretrained", required=True,
                   help="state_dict pretrained on classes 0-4 (torch_transfer.py --pretrain-only --save-pretrained)")
    p.add_argument("--indices", help='JSON file {"train": [...], "val": [...]} of training-image indices')
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=tt.DEBIAN)
    p.add_argument("--out", required=True, help="JSON lines file, appended to")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    points = a.freeze.split(",")
    unknown = [q for q in points if q not in FREEZE_POINTS]
    if unknown:
        raise SystemExit(f"--freeze {a.freeze}: unknown {unknown}; use {','.join(FREEZE_POINTS)}")
    (train_x, train_y), (test_x, test_y) = tt.load(a.data)

    def emit(line):
        print(json.dumps(line), flush=True)
        with open(a.out, "a") as f:
            f.write(json.dumps(line) + "\n")

    pretrained = torch.load(a.pretrained)
    chosen, val = images(a, train_y)
    x = tt.prepare(train_x[chosen], a.size)
    y = torch.from_numpy(train_y[chosen].astype(np.int64) - 5)
    vx = tt.prepare(train_x[val], a.size)
    vy = torch.from_numpy(train_y[val].astype(np.int64) - 5)

    loop_start = time.time()
    best = None
    for point in points:
        for lr in [float(v) for v in a.lrs.split(",")]:
            start = time.time()
            scores, weights = candidate(pretrained, a.model, point, lr, x, y, vx, vy, a.epochs, a.seed)
            if best is None or max(scores) > best[0]:
                best = (max(scores), point, lr, weights)
            emit({"side": "pytorch", "recipe": "candidate", "freeze": point, "lr": lr, "val_accuracy": scores,
                  "best_val_accuracy": max(scores), "seconds": time.time() - start,
                  "elapsed": time.time() - loop_start})
    loop_seconds = time.time() - loop_start

    best_val, point, lr, weights = best
    start = time.time()
    net = tt.build(a.model, 5)
    net.load_state_dict(weights)
    target_test = np.flatnonzero(test_y >= 5)
    test_acc = tt.accuracy(net, tt.prepare(test_x[target_test], a.size),
                           torch.from_numpy(test_y[target_test].astype(np.int64) - 5))
    emit({"side": "pytorch", "recipe": "best", "freeze": point, "lr": lr, "best_val_accuracy": best_val,
          "test_accuracy": test_acc, "loop_seconds": loop_seconds, "test_seconds": time.time() - start,
          "seconds": time.time() - script_start, "train_images": len(chosen), "val_images": len(val)})


if __name__ == "__main__":
    main()
