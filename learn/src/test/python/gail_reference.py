#!/usr/bin/python3
"""PyTorch (float64) reference for GAIL's parity test (Ho & Ermon 2016).

Reads the case GailParityTest wrote, rebuilds the discriminator with the same weights, and computes
torch's binary cross-entropy with logits of the pairs (observation, u) against their labels (1:
demonstration, 0: policy), its gradients by autograd in the Java layout, and the policy's reward
-log(1 - sigmoid(f)) of every pair.
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
    rows = int(case["rows"][0])
    obs = torch.tensor(case["obs"]).reshape(rows, -1)
    u = torch.tensor(case["u"]).reshape(rows, -1)
    y = torch.tensor(case["labels"])
    f = net(torch.cat([obs, u], 1)).squeeze(1)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(f, y)
    loss.backward()
    params = [m for m in net if isinstance(m, torch.nn.Linear)]
    grads = []
    for m in params:
        grads += [m.weight.grad, m.bias.grad]
    reward = -torch.log(1 - torch.sigmoid(f.detach()))
    with open(sys.argv[2], "w") as out:
        out.write("gail_loss " + repr(loss.item()) + "\n")
        out.write("gail_grads " + " ".join(repr(v) for v in flat_java(grads)) + "\n")
        out.write("gail_rewards " + " ".join(repr(v) for v in reward.tolist()) + "\n")


if __name__ == "__main__":
    main()
