#!/usr/bin/env python3
"""Benchmark reference: training steps of the CIFAR form of ResNet-18 (3x3 stride-1 stem, no stem
pooling; torchvision's BasicBlock layout, 10-class head), or of MobileNetV2 as transfer4j builds it
(--arch mobilenetv2: torchvision's layout; under 96 pixels a stride-1 stem and second stage), in
PyTorch: the same network, batch, optimizer (AdamW lr 1e-3, decay 0.01 on weight matrices only,
global norm clip 1.0) and BatchNorm training mode as `transfer4j bench vision-step`. --bf16 runs
the forward pass and loss under torch.autocast("cpu", torch.bfloat16), the reference for
transfer4j's --precision bf16. Prints JSON with the median ms per step. Benchmark only."""
import argparse, json, os, resource, statistics, time
import torch
from torch import nn

class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.down is None else self.down(x)))

class ResNet18(nn.Module):
    def __init__(self, channels, classes):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(channels, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU())
        layers, cin = [], 64
        for i, c in enumerate([64, 128, 256, 512]):
            for b in range(2):
                layers.append(Block(cin, c, 2 if b == 0 and i > 0 else 1)); cin = c
        self.layers = nn.Sequential(*layers)
        self.head = nn.Linear(512, classes)
    def forward(self, x):
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(self.layers(self.stem(x)), 1), 1))

def cbr(cin, cout, k, stride, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    return nn.Sequential(*(layers + [nn.ReLU6()] if act else layers))

class Inverted(nn.Module):
    def __init__(self, cin, cout, stride, t):
        super().__init__()
        hidden = cin * t
        self.body = nn.Sequential(*([cbr(cin, hidden, 1, 1)] if t != 1 else []), cbr(hidden, hidden, 3, stride, hidden),
                                  cbr(hidden, cout, 1, 1, act=False))
        self.residual = stride == 1 and cin == cout
    def forward(self, x):
        return x + self.body(x) if self.residual else self.body(x)

class MobileNetV2(nn.Module):
    def __init__(self, channels, classes, small):
        super().__init__()
        settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
        layers, cin = [cbr(channels, 32, 3, 1 if small else 2)], 32
        for s, (t, c, n, stride) in enumerate(settings):
            for i in range(n):
                layers.append(Inverted(cin, c, (1 if small and s == 1 else stride) if i == 0 else 1, t)); cin = c
        layers.append(cbr(cin, 1280, 1, 1))
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(1280, classes)
    def forward(self, x):
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(self.features(x), 1), 1))

p = argparse.ArgumentParser()
p.add_argument("--arch", default="resnet18", choices=["resnet18", "mobilenetv2"])
p.add_argument("--bf16", action="store_true")
p.add_argument("--size", type=int, default=32); p.add_argument("--channels", type=int, default=3)
p.add_argument("--batch", type=int, default=64); p.add_argument("--steps", type=int, default=10)
p.add_argument("--warmup", type=int, default=3)
p.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads (default: all cores, as libtorch in transfer4j)")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(17)
net = (ResNet18(a.channels, 10) if a.arch == "resnet18" else MobileNetV2(a.channels, 10, a.size < 96)).train()
decay = [q for q in net.parameters() if q.dim() >= 2]
plain = [q for q in net.parameters() if q.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": plain, "weight_decay": 0.0}], lr=1e-3)
x = torch.randn(a.batch * (a.steps + a.warmup), a.channels, a.size, a.size)
y = torch.randint(0, 10, (a.batch * (a.steps + a.warmup),))
times = []
for s in range(a.steps + a.warmup):
    t0 = time.perf_counter()
    xb, yb = x[s * a.batch:(s + 1) * a.batch], y[s * a.batch:(s + 1) * a.batch]
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.bf16):
        loss = nn.functional.cross_entropy(net(xb).float(), yb)
    opt.zero_grad(); loss.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    opt.step()
    if s >= a.warmup:
        times.append((time.perf_counter() - t0) * 1000)
m = statistics.median(times)
print(json.dumps({"torch": torch.__version__, "arch": a.arch, "precision": "bf16" if a.bf16 else "fp32", "threads": torch.get_num_threads(), "medianStepMs": m,
                  "imagesPerSecond": a.batch * 1000 / m, "parameters": sum(q.numel() for q in net.parameters()),
                  "peakRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
