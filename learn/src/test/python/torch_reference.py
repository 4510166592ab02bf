#!/usr/bin/python3
"""PyTorch (float64) reference for the learning core's parity test.

Reads the case the Java test wrote (lines "name v1 v2 ..."), rebuilds the same networks with the
same weights, computes BC losses, REINFORCE and PPO losses (clip and KL-penalty forms), GAE and one
Adam step with torch's own ops and autograd, and writes every result as "name v1 v2 ..." lines.
Gradients of weights are written in the Java layout ([in, out], torch's weight transposed).
"""
import sys
import torch

torch.set_default_dtype(torch.float64)


def read(path):
    case = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                case[parts[0]] = [float(v) for v in parts[1:]]
    return case


def mlp(sizes, act, flat, offset):
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        n_w = sizes[i] * sizes[i + 1]
        w = torch.tensor(flat[offset:offset + n_w]).reshape(sizes[i], sizes[i + 1])
        offset += n_w
        b = torch.tensor(flat[offset:offset + sizes[i + 1]])
        offset += sizes[i + 1]
        with torch.no_grad():
            lin.weight.copy_(w.t())
            lin.bias.copy_(b)
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh() if act == 0 else torch.nn.ReLU())
    return torch.nn.Sequential(*layers), offset


def params_in_java_order(actor, log_std, critic):
    out = []
    for net in (actor,):
        for m in net:
            if isinstance(m, torch.nn.Linear):
                out += [m.weight, m.bias]
    out.append(log_std)
    for m in critic:
        if isinstance(m, torch.nn.Linear):
            out += [m.weight, m.bias]
    return out


def flat_java(tensors):
    vals = []
    for t in tensors:
        t = t.detach()
        vals += (t.t() if t.dim() == 2 else t).reshape(-1).tolist()
    return vals


def build(case):
    sizes = [int(v) for v in case["actor_sizes"]]
    csizes = [int(v) for v in case["critic_sizes"]]
    act = int(case["activation"][0])
    flat = case["params"]
    actor, off = mlp(sizes, act, flat, 0)
    log_std = torch.nn.Parameter(torch.tensor(flat[off:off + sizes[-1]]))
    off += sizes[-1]
    critic, off = mlp(csizes, act, flat, off)
    assert off == len(flat), (off, len(flat))
    return actor, log_std, critic


def grads(ps):
    return flat_java([p.grad if p.grad is not None else torch.zeros_like(p) for p in ps])


def zero(ps):
    for p in ps:
        p.grad = None


def main():
    case = read(sys.argv[1])
    out = {}
    actor, log_std, critic = build(case)
    ps = params_in_java_order(actor, log_std, critic)
    rows = int(case["rows"][0])
    obs = torch.tensor(case["obs"]).reshape(rows, -1)
    act_dim = log_std.shape[0]
    u = torch.tensor(case["u"]).reshape(rows, act_dim)

    # BC, mean squared error of the mean.
    zero(ps)
    loss = ((actor(obs) - u) ** 2).mean()
    loss.backward()
    out["bc_mse_loss"] = [loss.item()]
    out["bc_mse_grads"] = grads(ps)

    # BC, Gaussian negative log-likelihood.
    zero(ps)
    dist = torch.distributions.Normal(actor(obs), log_std.exp())
    loss = -dist.log_prob(u).sum(-1).mean()
    loss.backward()
    out["bc_nll_loss"] = [loss.item()]
    out["bc_nll_grads"] = grads(ps)

    lp_old = torch.tensor(case["logprob_old"])
    adv = torch.tensor(case["advantages"])
    ret = torch.tensor(case["returns"])

    # REINFORCE with a baseline: -mean(log pi(u|s) * A) + c_v * mean((V(s) - G)^2), A as given.
    zero(ps)
    dist = torch.distributions.Normal(actor(obs), log_std.exp())
    policy_loss = -(dist.log_prob(u).sum(-1) * adv).mean()
    value_loss = ((critic(obs).squeeze(-1) - ret) ** 2).mean()
    (policy_loss + case["value_coef"][0] * value_loss).backward()
    out["reinforce_terms"] = [policy_loss.item(), value_loss.item()]
    out["reinforce_grads"] = grads(ps)

    # PPO, both objectives.
    mean_old = torch.tensor(case["mean_old"]).reshape(rows, act_dim)
    clip, vcoef, ecoef, beta = case["clip"][0], case["value_coef"][0], case["entropy_coef"][0], case["beta"][0]
    for objective in ("kl", "clip"):  # clip last: its Adam step changes the weights
        zero(ps)
        mean = actor(obs)
        dist = torch.distributions.Normal(mean, log_std.exp())
        lp = dist.log_prob(u).sum(-1)
        entropy = dist.entropy().sum(-1).mean()
        a = (adv - adv.mean()) / (adv.std() + 1e-8)
        log_ratio = lp - lp_old
        ratio = log_ratio.exp()
        if objective == "clip":
            policy_loss = -torch.min(ratio * a, torch.clamp(ratio, 1 - clip, 1 + clip) * a).mean()
            kl = torch.tensor(0.0)
        else:
            policy_loss = -(ratio * a).mean()
            old = torch.distributions.Normal(mean_old, log_std.detach().exp())
            kl = torch.distributions.kl_divergence(old, dist).sum(-1).mean()
        value = critic(obs).squeeze(-1)
        value_loss = ((value - ret) ** 2).mean()
        total = policy_loss + vcoef * value_loss - ecoef * entropy + (beta * kl if objective == "kl" else 0)
        total.backward()
        with torch.no_grad():
            approx_kl = ((ratio - 1) - log_ratio).mean()
        out[f"ppo_{objective}_terms"] = [policy_loss.item(), value_loss.item(), entropy.item(), approx_kl.item(), kl.item(), total.item()]
        out[f"ppo_{objective}_grads"] = grads(ps)
        if objective == "clip":
            # One optimiser step from these gradients: global-norm clipping, then Adam.
            opt = torch.optim.Adam(ps, lr=case["lr"][0], eps=1e-5)
            torch.nn.utils.clip_grad_norm_(ps, case["max_grad_norm"][0])
            opt.step()
            out["adam_params"] = flat_java(ps)

    # GAE over envs interleaved time-major.
    envs, steps = int(case["gae_envs"][0]), int(case["gae_steps"][0])
    r = torch.tensor(case["gae_rewards"]).reshape(steps, envs)
    v = torch.tensor(case["gae_values"]).reshape(steps, envs)
    nv = torch.tensor(case["gae_next_values"]).reshape(steps, envs)
    term = torch.tensor(case["gae_terminal"]).reshape(steps, envs)
    end = torch.tensor(case["gae_end"]).reshape(steps, envs)
    gamma, lam = case["gamma"][0], case["lambda"][0]
    adv = torch.zeros(steps, envs)
    last = torch.zeros(envs)
    for t in reversed(range(steps)):
        cont = torch.zeros(envs) if t == steps - 1 else 1 - end[t]
        delta = r[t] + gamma * nv[t] * (1 - term[t]) - v[t]
        last = delta + gamma * lam * cont * last
        adv[t] = last
    out["gae_advantages"] = adv.reshape(-1).tolist()
    out["gae_returns"] = (adv + v).reshape(-1).tolist()

    with open(sys.argv[2], "w") as f:
        for k, vals in out.items():
            f.write(k + " " + " ".join(repr(float(x)) for x in vals) + "\n")


if __name__ == "__main__":
    main()
