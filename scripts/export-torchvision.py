#!/usr/bin/python3
"""Exports torchvision architectures to ONNX as import fixtures for transfer4j's ONNX checks.

Developer tool, never a dependency of transfer4j: needs Debian's python3-torchvision
(apt-get install python3-torchvision). No pre-trained weights are reachable offline, so the
networks are randomly initialised (seeded): they exercise the graph structure and every op of
each family (ResNet, MobileNet v2/v3, EfficientNet), not ImageNet accuracy.
Usage: scripts/export-torchvision.py [OUT_DIR]   (default $TRANSFER4J_HOME/models/torchvision)
"""
import os
import sys

import torch
import torchvision

home = os.environ.get("TRANSFER4J_HOME", os.path.expanduser("~/.cache/transfer4j"))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(home, "models", "torchvision")
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
for name in ["resnet18", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0"]:
    model = getattr(torchvision.models, name)(weights=None).eval()
    path = os.path.join(out, name + ".onnx")
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    print(path)
