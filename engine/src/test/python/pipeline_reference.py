#!/usr/bin/env python3
"""What PyTorch's side of Thaw's transfer peer (benchmarks/peer/torch_transfer.py) feeds the network, for Thaw's
pipeline parity test (engine PipelineParityTest): gray 28x28 images x/255, resized bilinearly (align_corners=False)
to --size, copied to 3 channels, ImageNet mean/std.

    python3 engine/src/test/python/pipeline_reference.py --images raw.u8 --count N --size 32 --out ref.f32

reads N 28x28 uint8 images (row-major, one after the other) and writes the [N, 3, size, size] float32 batch,
little-endian, C order.
"""
import argparse

import numpy as np
import torch
import torch.nn.functional as F

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--images", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    raw = np.fromfile(a.images, dtype=np.uint8).reshape(a.count, 28, 28)
    x = torch.from_numpy(raw.astype(np.float32) / 255.0).unsqueeze(1)
    x = F.interpolate(x, size=(a.size, a.size), mode="bilinear", align_corners=False)
    x = (x.repeat(1, 3, 1, 1) - MEAN) / STD
    x.numpy().astype("<f4").tofile(a.out)


if __name__ == "__main__":
    main()
