#!/usr/bin/python3
"""Writes a Keras 2 HDF5 model file shaped like Thaw's smallcnn, for the Keras weight-source test.

Keras itself is not packaged for Debian, so the file is written with h5py in the layout `model.save("x.h5")`
produces (model_config JSON + model_weights groups). Weights are seeded; biases are arange-based so the test
can check that values arrived where they belong.  Run: /usr/bin/python3 make_smallcnn_h5.py OUT.h5   (needs python3-h5py)
"""
import json
import sys

import h5py
import numpy as np

rng = np.random.default_rng(7)
layers, weights = [], {}
prev = "input"


def add(name, cls, config, tensors=()):
    global prev
    config = dict(config, name=name, trainable=True, dtype="float32")
    layers.append({"name": name, "class_name": cls, "config": config, "inbound_nodes": [[[prev, 0, 0, {}]]]})
    weights[name] = list(tensors)
    prev = name


layers.append({"name": "input", "class_name": "InputLayer", "inbound_nodes": [],
               "config": {"batch_input_shape": [None, 32, 32, 3], "dtype": "float32", "sparse": False,
                          "name": "input"}})
weights["input"] = []
init = {"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_in", "distribution": "normal",
                                                    "seed": None}}
zeros = {"class_name": "Zeros", "config": {}}
ones = {"class_name": "Ones", "config": {}}
channels = 3
for b, filters in enumerate([32, 64, 128], start=1):
    block = f"block{b}"
    add(f"{block}_conv", "Conv2D", {
        "filters": filters, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same",
        "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "linear", "use_bias": True,
        "kernel_initializer": init, "bias_initializer": zeros, "kernel_regularizer": None,
        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None},
        [("kernel:0", rng.normal(0, 0.1, (3, 3, channels, filters))),
         ("bias:0", np.arange(filters) * 0.01)])
    add(f"{block}_bn", "BatchNormalization", {
        "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
        "beta_initializer": zeros, "gamma_initializer": ones, "moving_mean_initializer": zeros,
        "moving_variance_initializer": ones, "beta_regularizer": None, "gamma_regularizer": None,
        "beta_constraint": None, "gamma_constraint": None},
        [("gamma:0", 1 + np.arange(filters) * 0.001), ("beta:0", np.arange(filters) * 0.002),
         ("moving_mean:0", np.arange(filters) * 0.003), ("moving_variance:0", 1 + np.arange(filters) * 0.004)])
    add(f"{block}_relu", "Activation", {"activation": "relu"})
    add(f"{block}_pool", "MaxPooling2D", {"pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                                          "data_format": "channels_last"})
    channels = filters
add("gap", "GlobalAveragePooling2D", {"data_format": "channels_last"})
for name, units, act in [("fc", 128, "relu"), ("output", 4, "softmax")]:
    add(name, "Dense", {"units": units, "activation": act, "use_bias": True, "kernel_initializer": init,
                        "bias_initializer": zeros, "kernel_regularizer": None, "bias_regularizer": None,
                        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None},
        [("kernel:0", rng.normal(0, 0.1, (channels, units))), ("bias:0", np.arange(units) * 0.01)])
    channels = units

model_config = {"class_name": "Model", "config": {"name": "smallcnn_keras", "layers": layers,
                                                  "input_layers": [["input", 0, 0]],
                                                  "output_layers": [["output", 0, 0]]}}
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["keras_version"] = b"2.2.4"
    f.attrs["backend"] = b"tensorflow"
    f.attrs["model_config"] = json.dumps(model_config).encode()
    mw = f.create_group("model_weights")
    mw.attrs["layer_names"] = [l["name"].encode() for l in layers]
    mw.attrs["backend"] = b"tensorflow"
    mw.attrs["keras_version"] = b"2.2.4"
    for name, tensors in weights.items():
        g = mw.create_group(name)
        g.attrs["weight_names"] = [f"{name}/{t}".encode() for t, _ in tensors]
        for t, value in tensors:
            g.create_dataset(f"{name}/{t}", data=np.asarray(value, dtype="float32"))
