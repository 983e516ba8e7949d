#!/usr/bin/env python3
"""PyTorch peer of Thaw's FMNIST-AB transfer protocol: the recipe a PyTorch user writes, on the same data and cores.

Question: with few labels, how well does a ResNet pretrained on Fashion-MNIST classes 0-4 transfer to classes 5-9
in plain PyTorch + torchvision? Thaw's side is its own `train` on the same protocol (with --weights
torchvision:PATH from --save-pretrained for identical weights); commands and results in
benchmarks/results/parity.md. Run:

    python3 benchmarks/peer/torch_transfer.py --model resnet50 --size 32 --per-class 20 --seeds 1,2,3 \
        --save-pretrained /tmp/pre.pth --out /tmp/peer.jsonl

Protocol (what the Java side reproduces): Debian's Fashion-MNIST (`dataset-fashion-mnist`); images x/255, resized
bilinearly to --size, gray copied to 3 channels, ImageNet mean/std (torchvision's convention). Pretraining: random
torchvision model, classes 0-4, 4,950 training images per class (Thaw's train split size), --pretrain-epochs,
Adam 1e-3, batch 32. Transfer: classes 5-9, --per-class images per class drawn by seed from the training set,
--epochs epochs, Adam, batch 32, a fresh 5-class head (torchvision's nn.Linear init); scored on the 5,000 test
images of 5-9 after the last epoch. Recipes:
  head      only the head trains (lr 1e-3), the body frozen in eval mode (BatchNorm on its running statistics)
  finetune  everything trains in train mode, body lr 1e-4, head lr 1e-3 (the usual two-group recipe)
  scratch   a random network, everything at 1e-3
--save-pretrained writes the pretrained state_dict, which Thaw reads with --weights torchvision:PATH. Output: one
JSON line per recipe and seed (test accuracy, wall time, per-epoch mean loss).
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

DEBIAN = "/usr/share/datasets/fashion-mnist"
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8)


def load(data_dir):
    train = idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz")), idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz"))
    test = idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz")), idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz"))
    return train, test


def prepare(images, size):
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    return (x.repeat(1, 3, 1, 1) - MEAN) / STD


def pick(labels, classes, per_class, rng):
    out = []
    for c in classes:
        where = np.flatnonzero(labels == c)
        out.extend(rng.choice(where, size=min(per_class, len(where)), replace=False))
    return np.array(sorted(out))


def build(model, classes):
    return getattr(torchvision.models, model)(num_classes=classes)


def train(net, x, y, epochs, groups, seed, freeze_body):
    opt = torch.optim.Adam(groups)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        net.train()
        if freeze_body:
            net.eval()
            net.fc.train()
        order = torch.randperm(len(x), generator=gen)
        total, batches = 0.0, 0
        for i in range(0, len(x), 32):
            b = order[i:i + 32]
            loss = F.cross_entropy(net(x[b]), y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        losses.append(total / batches)
    return losses


def accuracy(net, x, y):
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 250):
            correct += (net(x[i:i + 250]).argmax(1) == y[i:i + 250]).sum().item()
    return correct / len(x)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="resnet50", help="a torchvision ResNet: resnet18 or resnet50")
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--per-class", default="20", help="labels per class, e.g. 20 or 20,100")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--pretrain-epochs", type=int, default=1)
    p.add_argument("--seeds", default="1")
    p.add_argument("--recipes", default="head,finetune,scratch")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=DEBIAN)
    p.add_argument("--pretrained", help="start from this state_dict instead of pretraining")
    p.add_argument("--save-pretrained")
    p.add_argument("--out", required=True, help="JSON lines file, appended to")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    (train_x, train_y), (test_x, test_y) = load(a.data)

    torch.manual_seed(0)
    if a.pretrained:
        pretrained = torch.load(a.pretrained)
    else:
        start = time.time()
        src = pick(train_y, range(5), 4950, np.random.default_rng(0))
        net = build(a.model, 5)
        losses = train(net, prepare(train_x[src], a.size), torch.from_numpy(train_y[src].astype(np.int64)),
                       a.pretrain_epochs, [{"params": net.parameters(), "lr": 1e-3}], 0, False)
        src_test = np.flatnonzero(test_y < 5)
        acc = accuracy(net, prepare(test_x[src_test], a.size), torch.from_numpy(test_y[src_test].astype(np.int64)))
        print(f"pretrained {a.model} on 0-4: loss {losses}, source test accuracy {acc:.4f}, {time.time() - start:.0f} s",
              flush=True)
        pretrained = net.state_dict()
        if a.save_pretrained:
            torch.save(pretrained, a.save_pretrained)

    target_test = np.flatnonzero(test_y >= 5)
    tx = prepare(test_x[target_test], a.size)
    ty = torch.from_numpy(test_y[target_test].astype(np.int64) - 5)
    for per_class in [int(v) for v in a.per_class.split(",")]:
        for seed in [int(s) for s in a.seeds.split(",")]:
            chosen = pick(train_y, range(5, 10), per_class, np.random.default_rng(seed))
            x = prepare(train_x[chosen], a.size)
            y = torch.from_numpy(train_y[chosen].astype(np.int64) - 5)
            for recipe in a.recipes.split(","):
                torch.manual_seed(seed)
                net = build(a.model, 5)
                if recipe != "scratch":
                    body = {k: v for k, v in pretrained.items() if not k.startswith("fc.")}
                    net.load_state_dict(body, strict=False)
                head = list(net.fc.parameters())
                rest = [q for n, q in net.named_parameters() if not n.startswith("fc.")]
                if recipe == "head":
                    for q in rest:
                        q.requires_grad = False
                    groups = [{"params": head, "lr": 1e-3}]
                elif recipe == "finetune":
                    groups = [{"params": rest, "lr": 1e-4}, {"params": head, "lr": 1e-3}]
                elif recipe == "scratch":
                    groups = [{"params": net.parameters(), "lr": 1e-3}]
                else:
                    raise SystemExit(f"unknown recipe {recipe!r}: use head, finetune, scratch")
                start = time.time()
                losses = train(net, x, y, a.epochs, groups, seed, recipe == "head")
                acc = accuracy(net, tx, ty)
                line = {"side": "pytorch", "model": a.model, "size": a.size, "per_class": per_class, "seed": seed,
                        "recipe": recipe, "test_accuracy": acc, "seconds": time.time() - start,
                        "epoch_loss": losses}
                print(json.dumps(line), flush=True)
                with open(a.out, "a") as f:
                    f.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
