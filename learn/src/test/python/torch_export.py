#!/usr/bin/python3
"""Exports two small PyTorch MLP policies with torch.onnx.export, as a user of another stack would:
one whose action is [batch, 8] and one whose action is a chunk [batch, 4, 8]. Writes the models
and, for a fixed observation, the outputs PyTorch computes ("name v1 v2 ..." lines)."""
import sys
import torch

torch.manual_seed(0)
out = sys.argv[1]


class Mlp(torch.nn.Module):
    def __init__(self, chunk):
        super().__init__()
        self.chunk = chunk
        self.net = torch.nn.Sequential(torch.nn.Linear(18, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
                                       torch.nn.Linear(64, 8 * chunk))

    def forward(self, obs):
        a = self.net(obs)
        return a if self.chunk == 1 else a.reshape(-1, self.chunk, 8)


obs = torch.linspace(-1, 1, 18).reshape(1, 18)
lines = ["obs " + " ".join(repr(v) for v in obs.reshape(-1).tolist())]
for name, chunk in (("plain", 1), ("chunk", 4)):
    model = Mlp(chunk).eval()
    torch.onnx.export(model, obs, f"{out}/{name}.onnx", input_names=["obs"], output_names=["action"],
                      dynamic_axes={"obs": {0: "batch"}, "action": {0: "batch"}}, opset_version=13)
    with torch.no_grad():
        lines.append(name + " " + " ".join(repr(v) for v in model(obs).reshape(-1).tolist()))
with open(f"{out}/expected.txt", "w") as f:
    f.write("\n".join(lines) + "\n")
