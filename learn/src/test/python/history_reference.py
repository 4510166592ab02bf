#!/usr/bin/python3
"""PyTorch (float64) reference for the history policy's parity test.

Reads the case HistoryParityTest wrote: one episode of raw observations, the history's frames H and
stride S, the normaliser's mean and inverse standard deviation over a stacked row, the network's
weights, the targets and the per-output weights. Stacks every step's last H observations newest
first (frame i is step t - i*S, the first step before the episode's start) by indexing, normalises
and clips to +-10, runs the network, and writes the weighted mean squared error and its gradients
by autograd in the Java layout.
"""
import sys
import torch

from torch_reference import flat_java, mlp, read

torch.set_default_dtype(torch.float64)


def main():
    case = read(sys.argv[1])
    sizes = [int(v) for v in case["sizes"]]
    net, off = mlp(sizes, 0, case["params"], 0)
    assert off == len(case["params"])
    steps, od = int(case["steps"][0]), int(case["od"][0])
    frames, stride = int(case["frames"][0]), int(case["stride"][0])
    episode = torch.tensor(case["episode"]).reshape(steps, od)
    t = torch.arange(steps).unsqueeze(1)
    back = (t - stride * torch.arange(frames).unsqueeze(0)).clamp(min=0)   # [steps, frames]
    stacked = episode[back].reshape(steps, frames * od)
    x = ((stacked - torch.tensor(case["mean"])) * torch.tensor(case["inv_std"])).clamp(-10, 10)
    u = torch.tensor(case["u"]).reshape(steps, -1)
    w = torch.tensor(case["weights"])
    out = net(x)
    loss = ((out - u) ** 2 * w).sum() / u.numel()
    loss.backward()
    grads = []
    for m in net:
        if isinstance(m, torch.nn.Linear):
            grads += [m.weight.grad, m.bias.grad]
    with open(sys.argv[2], "w") as f:
        f.write("history_loss " + repr(loss.item()) + "\n")
        f.write("history_grads " + " ".join(repr(v) for v in flat_java(grads)) + "\n")


if __name__ == "__main__":
    main()
