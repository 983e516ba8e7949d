#!/usr/bin/env python3
"""Writes zoo/src/test/resources/torch/storages.pth, the committed fixture of Thaw's .pth reader tests.

Question: does Thaw's pure-Java reader of torch.save files get every storage type and layout right on a machine
without PyTorch? The parity tests generate whole models with PyTorch when it is installed; this small file (a few
KB) covers the reader alone everywhere. Every tensor's values follow from its name, so the Java test
(TorchvisionWeightsTest.readsEveryStorageTypeOfTheCommittedFixture) checks them without a second file:

  float32   arange(6) as [2, 3]              float16  arange(6) / 4     bfloat16  arange(6) / 2
  float64   arange(6) / 8                    int64    arange(6) - 2     (all [2, 3])
  strided   arange(12) as [3, 4], transposed: a non-contiguous [4, 3] view (element [i][j] = 4j + i)
  offset    arange(10)[3:8]: a view 3 elements into a shared storage (3 4 5 6 7)
  scalar    tensor(5), a 0-dimensional tensor (as BatchNorm's num_batches_tracked)

    /usr/bin/python3 zoo/src/test/python/statedict_fixture.py
"""
import collections
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "torch", "storages.pth")


def main():
    base = torch.arange(10, dtype=torch.float32)
    d = collections.OrderedDict()
    d["float32"] = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    d["float16"] = (torch.arange(6, dtype=torch.float32) / 4).half().reshape(2, 3)
    d["bfloat16"] = (torch.arange(6, dtype=torch.float32) / 2).bfloat16().reshape(2, 3)
    d["float64"] = (torch.arange(6, dtype=torch.float64) / 8).reshape(2, 3)
    d["int64"] = (torch.arange(6) - 2).reshape(2, 3)
    d["strided"] = torch.arange(12, dtype=torch.float32).reshape(3, 4).t()
    d["offset"] = base[3:8]
    d["scalar"] = torch.tensor(5)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    torch.save(d, OUT)
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes, torch {torch.__version__})")


if __name__ == "__main__":
    main()
