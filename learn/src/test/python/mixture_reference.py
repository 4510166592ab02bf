#!/usr/bin/python3
"""PyTorch (float64) reference for the mixture-of-Gaussians head's parity test.

Reads the case MixtureParityTest wrote, rebuilds the network with the same weights, splits its
output per row into K logits, K x n means and K x n sigma parameters (sigma = softplus + 0.01), and
computes the mean negative log-likelihood of the targets under torch.distributions'
MixtureSameFamily (log-sum-exp over the components), its gradients by autograd in the Java layout,
and the components' weights.
"""
import sys
import torch
import torch.distributions as D

from torch_reference import flat_java, mlp, read

torch.set_default_dtype(torch.float64)


def main():
    case = read(sys.argv[1])
    sizes = [int(v) for v in case["sizes"]]
    net, off = mlp(sizes, 0, case["params"], 0)
    assert off == len(case["params"])
    rows, k, n = int(case["rows"][0]), int(case["components"][0]), int(case["actions"][0])
    x = torch.tensor(case["obs"]).reshape(rows, -1)
    u = torch.tensor(case["u"]).reshape(rows, n)
    out = net(x)
    logits = out[:, :k]
    means = out[:, k:k + k * n].reshape(rows, k, n)
    sigma = torch.nn.functional.softplus(out[:, k + k * n:]).reshape(rows, k, n) + 0.01
    mixture = D.MixtureSameFamily(D.Categorical(logits=logits), D.Independent(D.Normal(means, sigma), 1))
    loss = -mixture.log_prob(u).mean()
    loss.backward()
    grads = []
    for m in net:
        if isinstance(m, torch.nn.Linear):
            grads += [m.weight.grad, m.bias.grad]
    with open(sys.argv[2], "w") as f:
        f.write("mixture_loss " + repr(loss.item()) + "\n")
        f.write("mixture_grads " + " ".join(repr(v) for v in flat_java(grads)) + "\n")
        f.write("mixture_weights " + " ".join(repr(v) for v in torch.softmax(logits.detach(), 1).flatten().tolist()) + "\n")


if __name__ == "__main__":
    main()
