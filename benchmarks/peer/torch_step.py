#!/usr/bin/env python3
"""PyTorch peer of Thaw's StepBenchmark: the same step cases, timed the same way, on the same cores.

Question: how long does one training step (forward, backward, Adam update) on a fixed minibatch take in
PyTorch's CPU build, for the backbones and input sizes Thaw benchmarks in DL4J? The Java StepBenchmark runs this
script after its own cases and prints both with their ratio; run it alone to see PyTorch's side only:

    python3 benchmarks/peer/torch_step.py --cases resnet50:32,resnet50:64 --threads 2

Modes match the Java side: `forward` (inference, eval mode), `full` (every layer trains), `last-stage` (everything
before the last stage frozen and in eval mode, as DL4J runs frozen layers in inference mode). Models: torchvision's
ResNet50 (global average pool head, like Thaw's) and VGG16 whose first dense layer takes the real flattened size
(DL4J's zoo VGG16 has no adaptive pooling; torchvision's would resize 2x2 maps up to 7x7 at 64 px).
Each figure is the median of the measured steps after warm-up; peak RSS is reset per case (Linux clear_refs).
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torchvision


def build(model, size, classes):
    if model in ("resnet50", "resnet18", "resnet50-tv"):
        net = getattr(torchvision.models, model.replace("-tv", ""))(num_classes=classes)
        last_stage = net.layer4
        return net, [net.fc, last_stage]
    if model == "vgg16":
        net = torchvision.models.vgg16(num_classes=classes)
        spatial = size // 32
        net.avgpool = nn.Identity()
        net.classifier[0] = nn.Linear(512 * spatial * spatial, 4096)
        # last stage = the fifth conv block (features[24:]) and the dense layers
        return net, [net.features[24:], net.classifier]
    raise SystemExit(f"unknown model {model!r}: use resnet18, resnet50 or vgg16")


def freeze_before(net, trainable):
    keep = {id(p) for part in trainable for p in part.parameters()}
    for p in net.parameters():
        p.requires_grad = id(p) in keep
    net.train()
    # frozen BatchNorm layers use their stored statistics, as DL4J's frozen layers do
    trainable_modules = {id(m) for part in trainable for m in part.modules()}
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d) and id(m) not in trainable_modules:
            m.eval()


def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return -1


def timed(step, warmup, steps, max_seconds):
    for _ in range(warmup):
        step()
    times = []
    start = time.perf_counter()
    while len(times) < steps and (len(times) < 2 or time.perf_counter() - start < max_seconds):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return times


def run_case(model, size, mode, batch, warmup, steps, max_seconds):
    torch.manual_seed(1)
    reset_peak_rss()
    net, last_stage = build(model, size, 10)
    x = torch.rand(batch, 3, size, size)
    y = torch.arange(batch) % 10
    if mode == "forward":
        net.eval()

        def step():
            with torch.no_grad():
                net(x)
    else:
        if mode == "last-stage":
            freeze_before(net, last_stage)
        else:
            net.train()
        params = [p for p in net.parameters() if p.requires_grad]
        opt = torch.optim.Adam(params, lr=1e-4)
        loss_fn = nn.CrossEntropyLoss()

        def step():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x), y)
            loss.backward()
            opt.step()
    times = timed(step, warmup, steps, max_seconds)
    med = statistics.median(times)
    return {"framework": "pytorch " + torch.__version__, "model": model, "size": size, "mode": mode,
            "batch": batch, "seconds": med, "images_per_s": batch / med, "steps": len(times),
            "peak_rss_mb": peak_rss_mb(), "threads": torch.get_num_threads()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default="resnet50:32,resnet50:64,resnet50:224,vgg16:64,vgg16:224",
                    help="model:size list (default: %(default)s)")
    ap.add_argument("--modes", default="forward,full,last-stage", help="default: %(default)s")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5, help="measured steps per case (median reported)")
    ap.add_argument("--max-seconds", type=float, default=120,
                    help="stop measuring a case after this long (at least 2 steps)")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 = PyTorch's default")
    ap.add_argument("--json", action="store_true", help="print one JSON object per case instead of a table")
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
        torch.set_num_interop_threads(1)
    if not args.json:
        print(f"| model | input | mode | batch | step s | images/s | peak RSS MB |  (PyTorch {torch.__version__}, "
              f"{torch.get_num_threads()} threads)")
    for case in args.cases.split(","):
        model, size = case.split(":")
        for mode in args.modes.split(","):
            r = run_case(model, int(size), mode, args.batch, args.warmup, args.steps, args.max_seconds)
            if args.json:
                print(json.dumps(r), flush=True)
            else:
                print(f"| {model} | {size} | {mode} | {args.batch} | {r['seconds']:.3f} | {r['images_per_s']:.1f} "
                      f"| {r['peak_rss_mb']} |", flush=True)


if __name__ == "__main__":
    main()
