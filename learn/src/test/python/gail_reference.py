#!/usr/bin/python3
"""PyTorch (float64) reference for GAIL's parity test (Ho & Ermon 2016).

Reads the case GailParityTest wrote, rebuilds the discriminator with the same weights, and computes
torch's binary cross-entropy with logits of the pairs (observation, u) against their labels (1:
demonstration, 0: policy), its gradients by autograd in the Java layout, and the policy's reward
-log(1 - sigmoid(f)) of every pair. With "gp_points" in the case also the gradient penalty
lambda * mean((|grad_x f(x)| - target)^2) at those points and its parameter gradients, by autograd's
double backward (create_graph=True), for a tanh and a relu discriminator. With "enc_sizes": VAIL's
discriminator (Peng et al. 2019) instead.
"""
import sys
import torch

from torch_reference import flat_java, mlp, read

torch.set_default_dtype(torch.float64)


def vail(case, out):
    """VAIL's discriminator: the encoder's outputs are mu and log sigma of a Z-value code, the
    head a linear layer on z = mu + sigma * eps; loss = BCE with logits + beta * mean KL to N(0, I);
    gradients of every encoder and head parameter; rewards from the head on mu."""
    enc_sizes = [int(v) for v in case["enc_sizes"]]
    z_size = enc_sizes[-1] // 2
    enc, _ = mlp(enc_sizes, 0, case["enc_params"], 0)
    head, _ = mlp([z_size, 1], 0, case["head_params"], 0)
    rows = int(case["rows"][0])
    x = torch.cat([torch.tensor(case["obs"]).reshape(rows, -1), torch.tensor(case["u"]).reshape(rows, -1)], 1)
    y = torch.tensor(case["labels"])
    eps = torch.tensor(case["eps"]).reshape(rows, z_size)
    code = enc(x)
    mu, log_sigma = code[:, :z_size], code[:, z_size:]
    f = head(mu + log_sigma.exp() * eps).squeeze(1)
    kl = 0.5 * (mu ** 2 + (2 * log_sigma).exp() - 1 - 2 * log_sigma).sum(1).mean()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(f, y) + case["beta"][0] * kl
    loss.backward()
    grads = []
    for net in (enc, head):
        for m in net:
            if isinstance(m, torch.nn.Linear):
                grads += [m.weight.grad, m.bias.grad]
    reward = -torch.log(1 - torch.sigmoid(head(mu).squeeze(1).detach()))
    out.write("vail_loss " + repr(loss.item()) + "\n")
    out.write("vail_kl " + repr(kl.item()) + "\n")
    out.write("vail_grads " + " ".join(repr(v) for v in flat_java(grads)) + "\n")
    out.write("vail_rewards " + " ".join(repr(v) for v in reward.tolist()) + "\n")


def main():
    case = read(sys.argv[1])
    if "enc_sizes" in case:
        with open(sys.argv[2], "w") as out:
            vail(case, out)
        return
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
