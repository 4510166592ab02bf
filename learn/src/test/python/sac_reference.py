#!/usr/bin/python3
"""PyTorch (float64) reference for SAC's parity test.

Reads the case SacParityTest wrote ("name v1 v2 ..." lines: network sizes, the actor's, critics'
and target critics' weights in the Java layout, log alpha, one minibatch and its noise), runs one
SAC update with torch's ops and autograd in the order the Java learner takes it (soft target,
critic step, actor step, temperature step, Polyak averaging), and writes the losses, the gradients
of each step and every parameter after the update.
"""
import math
import sys

import torch
import torch.nn.functional as F

import torch_reference
from torch_reference import flat_java, grads, read

torch.set_default_dtype(torch.float64)
LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0


def mlp(sizes, flat, offset):
    """A tanh MLP with the Java weights (see torch_reference.mlp)."""
    return torch_reference.mlp(sizes, 0, flat, offset)


def linear_params(*nets):
    out = []
    for net in nets:
        for m in net:
            if isinstance(m, torch.nn.Linear):
                out += [m.weight, m.bias]
    return out


def sample(actor, obs, eps, act_dim):
    out = actor(obs)
    mean, raw = out[:, :act_dim], out[:, act_dim:]
    log_std = LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (torch.tanh(raw) + 1)
    std = log_std.exp()
    z = mean + std * eps  # rsample with the given noise
    u = torch.tanh(z)
    log_prob = torch.distributions.Normal(mean, std).log_prob(z).sum(-1)
    log_prob = log_prob - (2 * (math.log(2) - z - F.softplus(-2 * z))).sum(-1)
    return u, log_prob


def bc_term(case, obs, u, u_policy, q_policy, critics, out, name):
    """DDPGfD's behaviour-cloning term on the first demo_rows rows: weight / n * sum of kept rows'
    squared errors, kept where min over critics of Q(s, u_demo) > the critics' value at the
    actor's output (q_filter 1), or all rows (0)."""
    n, weight = int(case["demo_rows"][0]), case["bc_weight"][0]
    with torch.no_grad():
        sa = torch.cat([obs[:n], u[:n]], 1)
        q_demo = torch.min(torch.cat([q(sa) for q in critics], 1), 1).values
        keep = (q_demo > q_policy[:n].detach()).double() if case["q_filter"][0] == 1 else torch.ones(n)
    out[name + "_bc_kept"] = [keep.sum().item()]
    return weight / n * (keep * ((u_policy[:n] - u[:n]) ** 2).sum(-1)).sum()


def main():
    case = read(sys.argv[1])
    out = {}
    actor_sizes = [int(v) for v in case["actor_sizes"]]
    q_sizes = [int(v) for v in case["q_sizes"]]
    act_dim = actor_sizes[-1] // 2
    rows = int(case["rows"][0])
    actor, _ = mlp(actor_sizes, case["actor_params"], 0)
    q1, off = mlp(q_sizes, case["q_params"], 0)
    q2, _ = mlp(q_sizes, case["q_params"], off)
    t1, off = mlp(q_sizes, case["target_params"], 0)
    t2, _ = mlp(q_sizes, case["target_params"], off)
    log_alpha = torch.nn.Parameter(torch.tensor(case["log_alpha"]))
    lr, gamma, tau = case["lr"][0], case["gamma"][0], case["tau"][0]
    obs = torch.tensor(case["obs"]).reshape(rows, -1)
    nxt = torch.tensor(case["next"]).reshape(rows, -1)
    u = torch.tensor(case["u"]).reshape(rows, act_dim)
    r = torch.tensor(case["rewards"])
    not_done = torch.tensor(case["not_done"])
    eps_next = torch.tensor(case["eps_next"]).reshape(rows, act_dim)
    eps_now = torch.tensor(case["eps_now"]).reshape(rows, act_dim)
    actor_ps, q_ps = linear_params(actor), linear_params(q1, q2)
    actor_opt = torch.optim.Adam(actor_ps, lr=lr)
    q_opt = torch.optim.Adam(q_ps, lr=lr)
    alpha_opt = torch.optim.Adam([log_alpha], lr=lr)
    alpha = log_alpha.exp().detach()

    with torch.no_grad():
        u_next, lp_next = sample(actor, nxt, eps_next, act_dim)
        sa = torch.cat([nxt, u_next], 1)
        y = r + gamma * not_done * (torch.min(t1(sa), t2(sa)).squeeze(-1) - alpha * lp_next)
    out["sac_target"] = y.tolist()

    q_opt.zero_grad()
    sa = torch.cat([obs, u], 1)
    critic_loss = 0.5 * (F.mse_loss(q1(sa).squeeze(-1), y) + F.mse_loss(q2(sa).squeeze(-1), y))
    critic_loss.backward()
    out["sac_critic_loss"] = [critic_loss.item()]
    out["sac_critic_grads"] = grads(q_ps)
    q_opt.step()

    actor_opt.zero_grad()
    u_now, lp_now = sample(actor, obs, eps_now, act_dim)
    sa = torch.cat([obs, u_now], 1)
    q_pi = torch.min(q1(sa), q2(sa)).squeeze(-1)
    actor_loss = (alpha * lp_now - q_pi).mean()
    if "bc_weight" in case:
        actor_loss = actor_loss + bc_term(case, obs, u, u_now, q_pi, (q1, q2), out, "sac")
    actor_loss.backward()
    out["sac_actor_loss"] = [actor_loss.item()]
    out["sac_actor_grads"] = grads(actor_ps)
    actor_opt.step()

    alpha_opt.zero_grad()
    alpha_loss = -(log_alpha * (lp_now.detach() + (-act_dim))).mean()
    alpha_loss.backward()
    out["sac_alpha_grad"] = [log_alpha.grad.item()]
    alpha_opt.step()

    with torch.no_grad():
        for p, t in zip(q_ps, linear_params(t1, t2)):
            t.mul_(1 - tau).add_(tau * p)
    out["sac_actor_after"] = flat_java(actor_ps)
    out["sac_q_after"] = flat_java(q_ps)
    out["sac_target_after"] = flat_java(linear_params(t1, t2))
    out["sac_log_alpha_after"] = [log_alpha.item()]

    with open(sys.argv[2], "w") as f:
        for k, vals in out.items():
            f.write(k + " " + " ".join(repr(float(x)) for x in vals) + "\n")


if __name__ == "__main__":
    main()
