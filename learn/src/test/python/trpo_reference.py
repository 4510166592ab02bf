#!/usr/bin/python3
"""PyTorch (float64) reference for TRPO's parity test (Schulman et al. 2015).

Reads the case TrpoParityTest wrote, rebuilds the policy with the same weights, and computes with
torch's autograd: the surrogate's gradient at the old parameters, the Fisher-vector product as the
Hessian-vector product of the mean KL(old || new) (double backward, the old policy detached) plus
damping, the conjugate-gradient solution, the step scale sqrt(2 delta / x'Fx) and the
backtracking line search on the exact surrogate and KL. Vectors are in the Java layout (weights
[in, out]).
"""
import math
import sys
import torch

from torch_reference import build, flat_java, read

torch.set_default_dtype(torch.float64)
LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def theta_of(actor, log_std):
    ps = []
    for m in actor:
        if isinstance(m, torch.nn.Linear):
            ps += [m.weight, m.bias]
    return ps + [log_std]


def from_java(flat, ps):
    """Tensors shaped as ps from a Java-layout vector."""
    out, k = [], 0
    for p in ps:
        n = p.numel()
        t = torch.tensor(flat[k:k + n])
        out.append(t.reshape(p.shape[1], p.shape[0]).t() if p.dim() == 2 else t.reshape(p.shape))
        k += n
    return out


def log_prob(u, mean, log_std):
    z = (u - mean) / torch.exp(log_std)
    return (-0.5 * z * z - log_std - LOG_SQRT_2PI).sum(1)


def main():
    case = read(sys.argv[1])
    actor, log_std, _ = build(case)
    theta = theta_of(actor, log_std)
    rows = int(case["rows"][0])
    obs = torch.tensor(case["obs"]).reshape(rows, -1)
    u = torch.tensor(case["u"]).reshape(rows, -1)
    lp_old = torch.tensor(case["logprob_old"])
    adv = torch.tensor(case["advantages"])
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)   # unbiased std, as Gae.normalise
    damping, max_kl = case["damping"][0], case["max_kl"][0]
    iterations, backtracks, shrink = int(case["cg_iterations"][0]), int(case["backtracks"][0]), case["backtrack_ratio"][0]
    out = {}

    mean = actor(obs)
    surrogate = (torch.exp(log_prob(u, mean, log_std) - lp_old) * adv).mean()
    g = torch.autograd.grad(surrogate, theta, retain_graph=True)
    out["trpo_grad"] = flat_java(g)

    mean_old, ls_old = mean.detach().clone(), log_std.detach().clone()   # clones: the line search writes log_std in place
    kl = (log_std - ls_old + (torch.exp(2 * ls_old) + (mean_old - mean) ** 2) / (2 * torch.exp(2 * log_std)) - 0.5).sum(1).mean()
    grad_kl = torch.autograd.grad(kl, theta, create_graph=True)

    def fvp(v_tensors):
        dot = sum((a * b).sum() for a, b in zip(grad_kl, v_tensors))
        hv = torch.autograd.grad(dot, theta, retain_graph=True)
        return [h + damping * v for h, v in zip(hv, v_tensors)]

    def flat(ts):
        return torch.tensor(flat_java(ts))

    def tensors(vec):
        return from_java(vec.tolist(), theta)

    out["trpo_fvp"] = flat_java(fvp(from_java(case["probe"], theta)))

    gv = flat(g)
    x = torch.zeros_like(gv)
    r, p = gv.clone(), gv.clone()
    rr = r.dot(r)
    for _ in range(iterations):
        if rr <= 1e-20:
            break
        fp = flat(fvp(tensors(p)))
        alpha = rr / p.dot(fp)
        x = x + alpha * p
        r = r - alpha * fp
        nxt = r.dot(r)
        p = r + nxt / rr * p
        rr = nxt
    out["trpo_x"] = x.tolist()
    xfx = x.dot(flat(fvp(tensors(x))))
    beta = math.sqrt(2 * max_kl / xfx.item())
    out["trpo_beta"] = [beta]

    old = [t.detach().clone() for t in theta]
    step = tensors(x)
    surrogate_old = surrogate.item()
    fraction, taken, fx = 1.0, 0.0, None
    for _ in range(backtracks):
        with torch.no_grad():
            for t, o, s in zip(theta, old, step):
                t.copy_(o + fraction * beta * s)
            m = actor(obs)
            sur = (torch.exp(log_prob(u, m, log_std) - lp_old) * adv).mean().item()
            k = (log_std - ls_old + (torch.exp(2 * ls_old) + (mean_old - m) ** 2) / (2 * torch.exp(2 * log_std)) - 0.5).sum(1).mean().item()
        if k <= max_kl and sur > surrogate_old:
            taken, fx = fraction, (sur, k)
            break
        fraction *= shrink
    if fx is None:
        with torch.no_grad():
            for t, o in zip(theta, old):
                t.copy_(o)
        fx = (surrogate_old, 0.0)
    out["trpo_fraction"] = [taken]
    out["trpo_params"] = flat_java(theta)
    out["trpo_terms"] = [-fx[0], fx[1]]   # the surrogate loss and the KL after the step

    with open(sys.argv[2], "w") as f:
        for k, v in out.items():
            f.write(k + " " + " ".join(repr(float(x)) for x in v) + "\n")


if __name__ == "__main__":
    main()
