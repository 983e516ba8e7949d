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
--epochs epochs, Adam, batch 32 (--batching: plain = 32, 32, ..., the rest, as a DataLoader cuts them; drop-last
drops the rest; even = as many batches as plain, of equal sizes, as Thaw cuts a training epoch), a fresh 5-class head (torchvision's nn.Linear init); scored on the 5,000 test
images of 5-9 after the last epoch. Recipes:
  head      only the head trains (lr 1e-3), the body frozen in eval mode (BatchNorm on its running statistics)
  finetune  everything trains in train mode, body lr 1e-4, head lr 1e-3 (the usual two-group recipe)
  finetune-bn-frozen  the same with every BatchNorm in eval mode and its weight and bias fixed (bn.eval(), what
            torchvision.ops.FrozenBatchNorm2d does; Thaw's default for pretrained weights)
  two-phase, two-phase-bn-frozen  --head-epochs of the head alone on the body's features (computed once, body in
            eval mode: fastai's fine_tune with a converged head), then finetune / finetune-bn-frozen for --epochs
  scratch   a random network, everything at 1e-3
--save-pretrained writes the pretrained state_dict, which Thaw reads with --weights torchvision:PATH. --indices
FILE ({"20": {"1": [i, ...]}}: per label budget and seed, indices into the 60,000 training images) trains on exactly
those images instead of drawing them: Thaw's StrategyComparison passes the images its own runs trained on. Output:
one JSON line for the pretraining (recipe "pretrain") and one per recipe, budget and seed (test accuracy, macro-F1,
trainable parameters, seconds of training and of testing, per-epoch mean loss).
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


def freeze_batch_norm(net):
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()
            m.weight.requires_grad = False
            m.bias.requires_grad = False


def batches(n, batching):
    """(start, end) of each batch of an epoch of n examples at batch 32."""
    if batching == "even":
        k = -(-n // 32)
        cuts = [i * n // k for i in range(k + 1)]
        return list(zip(cuts[:-1], cuts[1:]))
    cut = [(i, min(n, i + 32)) for i in range(0, n, 32)]
    return [b for b in cut if b[1] - b[0] == 32] if batching == "drop-last" else cut


def train_head(net, x, y, epochs, seed, batching):
    """The head alone on the body's eval-mode features, computed once."""
    net.eval()
    body = nn.Sequential(*list(net.children())[:-1])
    with torch.no_grad():
        features = torch.cat([torch.flatten(body(x[i:i + 250]), 1) for i in range(0, len(x), 250)])
    opt = torch.optim.Adam(net.fc.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        for i, j in batches(len(x), batching):
            loss = F.cross_entropy(net.fc(features[order[i:j]]), y[order[i:j]])
            opt.zero_grad()
            loss.backward()
            opt.step()


def train(net, x, y, epochs, groups, seed, freeze_body, frozen_bn=False, batching="plain"):
    opt = torch.optim.Adam(groups)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        net.train()
        if freeze_body:
            net.eval()
            net.fc.train()
        if frozen_bn:
            freeze_batch_norm(net)
        order = torch.randperm(len(x), generator=gen)
        total, steps = 0.0, 0
        for i, j in batches(len(x), batching):
            b = order[i:j]
            loss = F.cross_entropy(net(x[b]), y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            steps += 1
        losses.append(total / steps)
    return losses


def predict(net, x):
    net.eval()
    with torch.no_grad():
        return torch.cat([net(x[i:i + 250]).argmax(1) for i in range(0, len(x), 250)])


def accuracy(net, x, y):
    return (predict(net, x) == y).float().mean().item()


def macro_f1(predicted, y, classes):
    f1 = []
    for c in range(classes):
        tp = ((predicted == c) & (y == c)).sum().item()
        fp = ((predicted == c) & (y != c)).sum().item()
        fn = ((predicted != c) & (y == c)).sum().item()
        f1.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(f1) / classes


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="resnet50", help="a torchvision ResNet: resnet18 or resnet50")
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--per-class", default="20", help="labels per class, e.g. 20 or 20,100")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--pretrain-epochs", type=int, default=1)
    p.add_argument("--seeds", default="1")
    p.add_argument("--recipes", default="head,finetune,scratch")
    p.add_argument("--batching", default="plain", choices=["plain", "drop-last", "even"])
    p.add_argument("--head-epochs", type=int, default=60, help="head epochs of the two-phase recipes")
    p.add_argument("--head-init", default="default", choices=["default", "zero"],
                   help="the new head's initialization: torchvision's nn.Linear default, or zero (as Thaw's)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=DEBIAN)
    p.add_argument("--pretrained", help="start from this state_dict instead of pretraining")
    p.add_argument("--save-pretrained")
    p.add_argument("--pretrain-only", action="store_true", help="stop after pretraining (and --save-pretrained)")
    p.add_argument("--indices", help="JSON file of training-image indices per budget and seed (see above)")
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
        print(json.dumps({"side": "pytorch", "model": a.model, "size": a.size, "recipe": "pretrain",
                          "epochs": a.pretrain_epochs, "test_accuracy": acc, "seconds": time.time() - start,
                          "epoch_loss": losses}), flush=True)
        pretrained = net.state_dict()
        if a.save_pretrained:
            torch.save(pretrained, a.save_pretrained)
    if a.pretrain_only:
        return

    target_test = np.flatnonzero(test_y >= 5)
    tx = prepare(test_x[target_test], a.size)
    ty = torch.from_numpy(test_y[target_test].astype(np.int64) - 5)
    given = None
    if a.indices:
        with open(a.indices) as f:
            given = json.load(f)
    for per_class in [int(v) for v in a.per_class.split(",")]:
        for seed in [int(s) for s in a.seeds.split(",")]:
            if given is not None:
                chosen = np.array(sorted(given[str(per_class)][str(seed)]))
                if chosen.max() >= len(train_y) or np.any(train_y[chosen] < 5):
                    raise SystemExit(f"--indices {a.indices}: budget {per_class} seed {seed} names images outside "
                                     "the training images of classes 5-9")
            else:
                chosen = pick(train_y, range(5, 10), per_class, np.random.default_rng(seed))
            x = prepare(train_x[chosen], a.size)
            y = torch.from_numpy(train_y[chosen].astype(np.int64) - 5)
            for recipe in a.recipes.split(","):
                torch.manual_seed(seed)
                net = build(a.model, 5)
                if recipe != "scratch":
                    body = {k: v for k, v in pretrained.items() if not k.startswith("fc.")}
                    net.load_state_dict(body, strict=False)
                if a.head_init == "zero":
                    nn.init.zeros_(net.fc.weight)
                    nn.init.zeros_(net.fc.bias)
                frozen_bn = recipe.endswith("-bn-frozen")
                if frozen_bn:
                    freeze_batch_norm(net)
                head = list(net.fc.parameters())
                rest = [q for n, q in net.named_parameters() if not n.startswith("fc.") and q.requires_grad]
                if recipe == "head":
                    for q in rest:
                        q.requires_grad = False
                    groups = [{"params": head, "lr": 1e-3}]
                elif recipe in ("finetune", "finetune-bn-frozen", "two-phase", "two-phase-bn-frozen"):
                    groups = [{"params": rest, "lr": 1e-4}, {"params": head, "lr": 1e-3}]
                elif recipe == "scratch":
                    groups = [{"params": list(net.parameters()), "lr": 1e-3}]
                else:
                    raise SystemExit(f"unknown recipe {recipe!r}: use head, finetune, finetune-bn-frozen, two-phase, "
                                     "two-phase-bn-frozen, scratch")
                start = time.time()
                if recipe.startswith("two-phase"):
                    train_head(net, x, y, a.head_epochs, seed, a.batching)
                losses = train(net, x, y, a.epochs, groups, seed, recipe == "head", frozen_bn, a.batching)
                trained = time.time()
                predicted = predict(net, tx)
                acc = (predicted == ty).float().mean().item()
                line = {"side": "pytorch", "model": a.model, "size": a.size, "per_class": per_class, "seed": seed,
                        "recipe": recipe, "batching": a.batching, "head_init": a.head_init, "test_accuracy": acc, "macro_f1": macro_f1(predicted, ty, 5),
                        "trainable_params": sum(q.numel() for g in groups for q in g["params"]),
                        "seconds": time.time() - start,
                        "train_seconds": trained - start, "test_seconds": time.time() - trained,
                        "epoch_loss": losses}
                print(json.dumps(line), flush=True)
                with open(a.out, "a") as f:
                    f.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
