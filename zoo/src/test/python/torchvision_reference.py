#!/usr/bin/env python3
"""Reference outputs of a torchvision model for Thaw's parity tests (zoo TorchvisionParityTest).

Question: given the same weights and the same batch, does Thaw's DL4J build of a torchvision ResNet or VGG16 compute what
torchvision computes? This script makes the weights and PyTorch's answers; the Java test loads the weights through
Thaw's `torchvision:` reader and compares. Everything is random but seeded, and BatchNorm's affine parameters and
running statistics are randomized too, so that a wrong mapping of any of them shows.

    python3 zoo/src/test/python/torchvision_reference.py --model resnet18 --size 32 --out /tmp/ref

writes, in --out:
  model.pth       the state_dict (float32)
  model-half.pth  the same weights stored as float16 (for the float16 reader test)
  stepped.pth     the state_dict after one SGD step (lr --lr, no momentum) in training mode on the batch
  stepped-frozen-bn.pth  the same step with every BatchNorm frozen (inference mode, scale and shift fixed: what
                  torchvision.ops.FrozenBatchNorm2d does, and Thaw's FrozenBatchNorm)
  expected.pth    input [N,3,S,S], labels [N], and per stage (Thaw's freeze point names) in inference mode
                  ResNets: "eval.conv1", "eval.stem", "eval.layer1" ... "eval.layer4";
                  VGG16: "eval.block1" ... "eval.block5", "eval.fc1", "eval.fc2";
                  both: "eval.features" (the pooled map, flattened), "eval.probs" (softmax);
                  the same in training mode ("train.*", BatchNorm on batch statistics), and "train.loss" (mean
                  cross-entropy before the step), "frozen-bn.loss" likewise for the frozen-BatchNorm step, and
                  "err32.step.KEY" / "err32.frozen-bn.KEY" (PyTorch's float32 error of each step). VGG16's dropout is switched off (p = 0) for training mode and
                  the step, so that both sides compute the same deterministic function; the Java side does likewise.
"""
import argparse
import collections
import copy
import os

import torch
import torch.nn as nn
import torchvision


def build(model, classes):
    if model == "resnet18":
        return torchvision.models.resnet18(num_classes=classes)
    if model == "resnet50-tv":
        return torchvision.models.resnet50(num_classes=classes)
    if model == "vgg16-tv":
        net = torchvision.models.vgg16(num_classes=classes)
        for m in net.modules():
            if isinstance(m, nn.Dropout):
                m.p = 0.0
        return net
    raise SystemExit(f"unknown model {model!r}: use resnet18, resnet50-tv or vgg16-tv")


def randomize_batch_norm(net, gen):
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.weight.data = torch.rand(n, generator=gen) + 0.5
            m.bias.data = torch.randn(n, generator=gen) * 0.1
            m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=gen) * 1.5 + 0.5)


def stages(net, x):
    return vgg_stages(net, x) if isinstance(net, torchvision.models.VGG) else resnet_stages(net, x)


def vgg_stages(net, x):
    out = collections.OrderedDict()
    start = 0
    for i, end in enumerate([5, 10, 17, 24, 31], start=1):  # each block ends with its max pooling
        x = net.features[start:end](x)
        out[f"block{i}"] = x
        start = end
    x = torch.flatten(net.avgpool(x), 1)
    out["features"] = x
    x = net.classifier[0:2](x)
    out["fc1"] = x
    x = net.classifier[2:5](x)
    out["fc2"] = x
    out["probs"] = torch.softmax(net.classifier[5:](x), dim=1)
    return out


def resnet_stages(net, x):
    out = collections.OrderedDict()
    x = net.conv1(x)
    out["conv1"] = x
    x = net.maxpool(net.relu(net.bn1(x)))  # (bn1's output itself is overwritten: torchvision's ReLU is in place)
    out["stem"] = x
    for i, layer in enumerate([net.layer1, net.layer2, net.layer3, net.layer4], start=1):
        x = layer(x)
        out[f"layer{i}"] = x
    x = torch.flatten(net.avgpool(x), 1)
    out["features"] = x
    out["probs"] = torch.softmax(net.fc(x), dim=1)
    return out


def relative(actual, reference):
    return (actual - reference).abs().max() / reference.abs().max().clamp_min(1e-30)


def freeze_batch_norm(net):
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()
            m.weight.requires_grad = False
            m.bias.requires_grad = False


def sgd_step(net, x, labels, lr, frozen_bn=False):
    net.train()
    if frozen_bn:
        freeze_batch_norm(net)
    opt = torch.optim.SGD([q for q in net.parameters() if q.requires_grad], lr=lr)
    loss = nn.functional.cross_entropy(net(x), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="resnet18")
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.set_num_threads(2)
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    net = build(a.model, a.classes)
    randomize_batch_norm(net, gen)
    torch.save(net.state_dict(), os.path.join(a.out, "model.pth"))
    torch.save({k: v.half() if v.is_floating_point() else v for k, v in net.state_dict().items()},
               os.path.join(a.out, "model-half.pth"))

    expected = collections.OrderedDict()
    x = torch.randn(a.batch, 3, a.size, a.size, generator=gen)
    labels = torch.arange(a.batch) % a.classes
    expected["input"] = x
    expected["labels"] = labels
    # The answers are computed in float64: PyTorch's own float32 result is a second opinion, and how far it is
    # from float64 ("err32.*", relative to the value's largest magnitude) is what float32 can promise here. In
    # training mode a deep net on a small batch is ill-conditioned (BatchNorm divides by the batch's spread): on
    # random ResNet50 weights PyTorch's float32 gradients are off by up to tens of percent in some layers.
    exact = copy.deepcopy(net).double()
    with torch.no_grad():
        for mode in ("eval", "train"):
            for m, n in ((exact, "64"), (net, "32")):
                m.train(mode == "train")
            ref = stages(exact, x.double())
            f32 = stages(net, x)
            for k, v in ref.items():
                expected[f"{mode}.{k}"] = v.float()
                expected[f"err32.{mode}.{k}"] = relative(f32[k].double(), v).reshape(1)
    start = torch.load(os.path.join(a.out, "model.pth"))
    for frozen_bn, tag, file in ((False, "step", "stepped.pth"), (True, "frozen-bn", "stepped-frozen-bn.pth")):
        net.load_state_dict(start)  # running stats back as saved
        exact = copy.deepcopy(net).double()
        loss = sgd_step(exact, x.double(), labels, a.lr, frozen_bn)
        sgd_step(net, x, labels, a.lr, frozen_bn)
        for k, v in exact.state_dict().items():
            if v.is_floating_point():
                change = v - start[k].double()
                if change.abs().max() > 0:
                    expected[f"err32.{tag}.{k}"] = relative(net.state_dict()[k].double() - start[k].double(),
                                                            change).reshape(1)
        expected["train.loss" if tag == "step" else "frozen-bn.loss"] = loss.detach().float().reshape(1)
        torch.save({k: v.float() if v.is_floating_point() else v for k, v in exact.state_dict().items()},
                   os.path.join(a.out, file))
        for q in net.parameters():
            q.requires_grad = True
    torch.save(expected, os.path.join(a.out, "expected.pth"))
    print(f"{a.model} {a.size}px: loss {expected['train.loss'].item():.6f}, files in {a.out}")


if __name__ == "__main__":
    main()
