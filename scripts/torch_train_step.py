#!/usr/bin/python3
"""Reference for `transfer4j bench train-step` (benchmark only, not part of the product): the same
full fine-tuning step written directly in PyTorch -- a BERT encoder built from nn.Linear /
nn.LayerNorm / nn.Embedding, mean pooling, a linear head, cross-entropy, gradient clipping at 1.0
and AdamW (lr 5e-5, weight decay 0.01 on matrices only) -- on the starting weights, token ids and
labels that `bench train-step --dump DIR` wrote. Prints median ms/step, examples/s, peak RSS and
the first loss (which must match transfer4j's: same weights, same numbers).

With --bf16 the forward pass and loss run under torch.autocast("cpu", torch.bfloat16): PyTorch's own
mixed precision (matrix products in bf16, weights and optimizer state fp32), the reference for
transfer4j's --precision bf16.

Usage: /usr/bin/python3 scripts/torch_train_step.py DIR [--batch 32] [--seq 128] [--steps 5] [--warmup 2] [--threads 2] [--bf16]
Needs Debian's python3-torch.
"""
import argparse, json, math, os, resource, statistics, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("dir")
p.add_argument("--batch", type=int, default=32)
p.add_argument("--seq", type=int, default=128)
p.add_argument("--steps", type=int, default=5)
p.add_argument("--warmup", type=int, default=2)
p.add_argument("--threads", type=int, default=os.cpu_count())
p.add_argument("--bf16", action="store_true")
a = p.parse_args()
torch.set_num_threads(a.threads)

index = json.load(open(os.path.join(a.dir, "index.json")))
W = {e["name"]: torch.from_numpy(np.fromfile(os.path.join(a.dir, e["file"]), dtype="<f4").reshape(e["shape"]).copy())
     for e in index}
by_consumer = {e["consumer"]: e["name"] for e in index if e["consumer"]}


def linear(prefix_node, bias_name):
    """A Linear from an ONNX MatMul weight [in, out] (consumed by node prefix_node/MatMul) and its bias."""
    w = W[by_consumer[prefix_node + "/MatMul"]]
    lin = nn.Linear(w.shape[0], w.shape[1])
    with torch.no_grad():
        lin.weight.copy_(w.t())
        lin.bias.copy_(W[bias_name])
    return lin


def norm(prefix):
    ln = nn.LayerNorm(W[prefix + ".weight"].shape[0], eps=1e-12)
    with torch.no_grad():
        ln.weight.copy_(W[prefix + ".weight"])
        ln.bias.copy_(W[prefix + ".bias"])
    return ln


class Layer(nn.Module):
    def __init__(self, i, heads):
        super().__init__()
        n, p = f"/encoder/layer.{i}", f"encoder.layer.{i}"
        self.q = linear(n + "/attention/self/query", p + ".attention.self.query.bias")
        self.k = linear(n + "/attention/self/key", p + ".attention.self.key.bias")
        self.v = linear(n + "/attention/self/value", p + ".attention.self.value.bias")
        self.o = linear(n + "/attention/output/dense", p + ".attention.output.dense.bias")
        self.ln1 = norm(p + ".attention.output.LayerNorm")
        self.ff1 = linear(n + "/intermediate/dense", p + ".intermediate.dense.bias")
        self.ff2 = linear(n + "/output/dense", p + ".output.dense.bias")
        self.ln2 = norm(p + ".output.LayerNorm")
        self.heads = heads

    def forward(self, x, bias):
        b, t, d = x.shape
        h = self.heads
        split = lambda y: y.view(b, t, h, d // h).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // h) + bias, dim=-1)
        ctx = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = self.ln1(x + self.o(ctx))
        return self.ln2(x + self.ff2(F.gelu(self.ff1(x))))


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.word = nn.Embedding.from_pretrained(W["embeddings.word_embeddings.weight"], freeze=False)
        self.pos = nn.Embedding.from_pretrained(W["embeddings.position_embeddings.weight"], freeze=False)
        self.typ = nn.Embedding.from_pretrained(W["embeddings.token_type_embeddings.weight"], freeze=False)
        self.ln = norm("embeddings.LayerNorm")
        layers = sorted({int(k.split(".")[2]) for k in W if k.startswith("encoder.layer.")})
        self.layers = nn.ModuleList(Layer(i, 12) for i in layers)
        self.head = nn.Linear(W["head.weight"].shape[1], W["head.weight"].shape[0])
        with torch.no_grad():
            self.head.weight.copy_(W["head.weight"])
            self.head.bias.copy_(W["head.bias"])

    def forward(self, ids, mask):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.ln(self.word(ids) + self.pos(pos) + self.typ(torch.zeros_like(ids)))
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, bias)
        m = mask.unsqueeze(-1).float()
        return self.head((x * m).sum(1) / m.sum(1).clamp(min=1))


ids = torch.from_numpy(np.fromfile(os.path.join(a.dir, "ids.bin"), dtype="<i8").reshape(-1, a.seq).copy())
labels = torch.from_numpy(np.fromfile(os.path.join(a.dir, "labels.bin"), dtype="<i8").copy())
model = Classifier()
model.train()
decay = [p for p in model.parameters() if p.dim() >= 2]
rest = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=5e-5)
times, first = [], None
for s in range(a.warmup + a.steps):
    x, y = ids[s * a.batch:(s + 1) * a.batch], labels[s * a.batch:(s + 1) * a.batch]
    t0 = time.perf_counter()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.bf16):
        loss = F.cross_entropy(model(x, torch.ones_like(x)).float(), y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    times.append((time.perf_counter() - t0) * 1000)
    first = loss.item() if first is None else first
med = statistics.median(times[a.warmup:])
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"torch": torch.__version__, "precision": "bf16" if a.bf16 else "fp32", "threads": torch.get_num_threads(), "medianStepMs": med,
                  "examplesPerSecond": a.batch * 1000 / med, "peakRssKb": rss, "firstLoss": first}))
