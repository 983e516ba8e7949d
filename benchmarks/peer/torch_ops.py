#!/usr/bin/env python3
"""PyTorch peer of Thaw's OpBreakdown: where a full training step's time goes, op by op.

Question: of one PyTorch training step (forward, backward, Adam) on the cores Thaw trains on, how much is
convolution, batch norm, the optimizer and the rest, how many op calls is that and how long is each call? The Java
OpBreakdown runs this after timing the same step in DL4J with ND4J's op profiler and prints both side by side; run
it alone for PyTorch's side:

    python3 benchmarks/peer/torch_ops.py --cases resnet50:32,resnet50:64 --threads 2

Groups (self time of aten ops under torch.profiler, so nested ops are not counted twice): conv forward / backward,
batch norm forward / backward; "Adam update" is everything under optimizer.step(); "other native ops" the rest of
the ops; "outside native ops" the step's wall time under the profiler minus all of them (Python, autograd engine).
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

from torch_step import build, timed

GROUPS = ["conv forward", "conv backward", "batch norm forward", "batch norm backward", "Adam update",
          "other native ops", "outside native ops"]


def group_of(name):
    if "convolution" in name or name == "aten::conv2d":
        return "conv backward" if "backward" in name else "conv forward"
    if "batch_norm" in name:
        return "batch norm backward" if "backward" in name else "batch norm forward"
    return "other native ops"


def run_case(model, size, batch, warmup, steps):
    torch.manual_seed(1)
    net, _ = build(model, size, 10)
    net.train()
    x = torch.rand(batch, 3, size, size)
    y = torch.arange(batch) % 10
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        with torch.profiler.record_function("thaw::adam"):
            opt.step()

    plain = statistics.median(timed(step, warmup, steps, 1e9)) * 1000
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        profiled = (time.perf_counter() - t0) * 1000 / steps
    sums = {g: [0.0, 0.0] for g in GROUPS}
    # Events inside the optimizer step belong to "Adam update", whatever their name.
    events = list(prof.events())
    adam = [(e.time_range.start, e.time_range.end) for e in events if e.name == "thaw::adam"]
    for e in events:
        if e.name == "thaw::adam":
            sums["Adam update"][1] += e.cpu_time_total / 1000 / steps
            continue
        if not e.name.startswith("aten::"):
            continue
        inside_adam = any(s <= e.time_range.start and e.time_range.end <= t for s, t in adam)
        group = "Adam update" if inside_adam else group_of(e.name)
        g = sums[group]
        if not inside_adam:
            g[1] += e.self_cpu_time_total / 1000 / steps
        # A call is an op whose caller is not an op of the same group (aten::conv2d -> convolution -> ... is one)
        parent = e.cpu_parent
        if parent is None or not parent.name.startswith("aten::") or (
                "Adam update" if inside_adam else group_of(parent.name)) != group:
            g[0] += 1 / steps
    ops_ms = sum(v[1] for k, v in sums.items() if k != "outside native ops")
    # Event times and the loop's wall clock are taken differently; where they disagree by a millisecond, say 0.
    sums["outside native ops"][1] = max(0.0, profiled - ops_ms)
    return {"framework": "pytorch " + torch.__version__, "model": model, "size": size, "batch": batch,
            "step_ms": plain, "profiled_step_ms": profiled,
            "groups": {g: {"calls": round(v[0], 1), "ms": v[1]} for g, v in sums.items()}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default="resnet50:32,resnet50:64", help="model:size list (default: %(default)s)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 = PyTorch's default")
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
        torch.set_num_interop_threads(1)
    for case in args.cases.split(","):
        model, size = case.split(":")
        print(json.dumps(run_case(model, int(size), args.batch, args.warmup, args.steps)), flush=True)


if __name__ == "__main__":
    main()
