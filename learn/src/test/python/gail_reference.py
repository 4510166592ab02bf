#!/usr/bin/python3
"""PyTorch (float64) reference for GAIL's parity test (Ho & Ermon 2016).

Reads the case GailParityTest wrote, rebuilds the discriminator with the same weights, and computes
torch's binary cross-entropy with logits of the pairs (observation, u) against their labels (1:
demonstration, 0: policy), its gradients by autograd in the Java layout, and the policy's reward
-log(1 - sigmoid(f)) of every pair. With "gp_points" in the case also the gradient penalty
lambda * mean((|grad_x f(x)| - target)^2) at those points and its parameter gradients, by autograd's
double backward (create_graph=True), for a tanh and a relu discriminator.
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
        if "gp_points" in case:
            lam, target = case["gp"][0], case["gp"][1]
            for act, name in ((0, "tanh"), (1, "relu")):
                net, _ = mlp(sizes, act, case["params"], 0)
                x = torch.tensor(case["gp_points"]).reshape(rows, -1).requires_grad_(True)
                g, = torch.autograd.grad(net(x).sum(), x, create_graph=True)
                penalty = lam * ((g.norm(dim=1) - target) ** 2).mean()
                penalty.backward()
                grads = []
                for m in net:
                    if isinstance(m, torch.nn.Linear):
                        # a parameter the penalty does not depend on (the last bias) has no grad: zero
                        grads += [p.grad if p.grad is not None else torch.zeros_like(p) for p in (m.weight, m.bias)]
                out.write("gp_" + name + " " + repr(penalty.item()) + "\n")
                out.write("gp_" + name + "_grads " + " ".join(repr(v) for v in flat_java(grads)) + "\n")
                out.write("gp_" + name + "_input_grad " + " ".join(repr(v) for v in g.detach().reshape(-1).tolist()) + "\n")


if __name__ == "__main__":
    main()
