#!/usr/bin/python3
"""The gradient steps of OffPolicyUpdateBench in PyTorch (Debian's python3-torch, CPU): SAC (twin
critics with Polyak-averaged targets, tanh-squashed Gaussian actor with log sigma bounded by tanh to
[-5, 2], learned temperature), TD3 (target smoothing, actor and targets every second step) and
behaviour cloning into a mixture of 5 Gaussians by its negative log-likelihood and into a policy of
the last 8 observations by MSE; minibatches of 256,
networks of 2x64 and 2x256. Prints gradient steps per second in the given dtype."""
import copy
import math
import sys
import time
import torch
import torch.distributions as D

dtype = torch.float64 if sys.argv[1] == "float64" else torch.float32
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 300
torch.set_default_dtype(dtype)
torch.manual_seed(0)
OBS, ACT, B, K = 18, 8, 256, 5
FRAMES = 8   # the history policy's observations, stacked: 144 inputs
GAMMA, TAU, LR = 0.99, 0.005, 3e-4


def mlp(inp, width, out):
    return torch.nn.Sequential(torch.nn.Linear(inp, width), torch.nn.Tanh(), torch.nn.Linear(width, width), torch.nn.Tanh(),
                               torch.nn.Linear(width, out))


def polyak(net, target):
    with torch.no_grad():
        for p, t in zip(net.parameters(), target.parameters()):
            t.mul_(1 - TAU).add_(TAU * p)


def batch():
    return (torch.randn(B, OBS), torch.tanh(torch.randn(B, ACT)), torch.randn(B), torch.randn(B, OBS), torch.ones(B))


def sac(width):
    actor = mlp(OBS, width, 2 * ACT)
    qs = [mlp(OBS + ACT, width, 1) for _ in range(2)]
    targets = [copy.deepcopy(q) for q in qs]
    log_alpha = torch.zeros(1, requires_grad=True)
    a_opt = torch.optim.Adam(actor.parameters(), lr=LR)
    q_opt = torch.optim.Adam([p for q in qs for p in q.parameters()], lr=LR)
    al_opt = torch.optim.Adam([log_alpha], lr=LR)
    o, u, r, n, nd = batch()

    def sample(obs):
        out = actor(obs)
        mean, raw = out[:, :ACT], out[:, ACT:]
        log_std = -5 + 3.5 * (torch.tanh(raw) + 1)
        eps = torch.randn_like(mean)
        pre = mean + log_std.exp() * eps
        a = torch.tanh(pre)
        lp = (-0.5 * eps ** 2 - log_std - 0.5 * math.log(2 * math.pi)).sum(-1)
        lp = lp - (2 * (math.log(2) - pre - torch.nn.functional.softplus(-2 * pre))).sum(-1)
        return a, lp

    def step():
        alpha = log_alpha.exp().detach()
        with torch.no_grad():
            a2, lp2 = sample(n)
            x2 = torch.cat([n, a2], 1)
            y = r + GAMMA * nd * (torch.min(targets[0](x2), targets[1](x2)).squeeze(-1) - alpha * lp2)
        x = torch.cat([o, u], 1)
        q_loss = sum(0.5 * ((q(x).squeeze(-1) - y) ** 2).mean() for q in qs)
        q_opt.zero_grad()
        q_loss.backward()
        q_opt.step()
        a, lp = sample(o)
        xa = torch.cat([o, a], 1)
        a_loss = (alpha * lp - torch.min(qs[0](xa), qs[1](xa)).squeeze(-1)).mean()
        a_opt.zero_grad()
        a_loss.backward()
        a_opt.step()
        al_loss = -(log_alpha * (lp.detach() - ACT)).mean()
        al_opt.zero_grad()
        al_loss.backward()
        al_opt.step()
        for q, t in zip(qs, targets):
            polyak(q, t)
    return step


def td3(width):
    actor = mlp(OBS, width, ACT)
    actor_t = copy.deepcopy(actor)
    qs = [mlp(OBS + ACT, width, 1) for _ in range(2)]
    targets = [copy.deepcopy(q) for q in qs]
    a_opt = torch.optim.Adam(actor.parameters(), lr=LR)
    q_opt = torch.optim.Adam([p for q in qs for p in q.parameters()], lr=LR)
    o, u, r, n, nd = batch()
    count = [0]

    def step():
        with torch.no_grad():
            noise = (0.2 * torch.randn(B, ACT)).clamp(-0.5, 0.5)
            a2 = (torch.tanh(actor_t(n)) + noise).clamp(-1, 1)
            x2 = torch.cat([n, a2], 1)
            y = r + GAMMA * nd * torch.min(targets[0](x2), targets[1](x2)).squeeze(-1)
        x = torch.cat([o, u], 1)
        q_loss = sum(0.5 * ((q(x).squeeze(-1) - y) ** 2).mean() for q in qs)
        q_opt.zero_grad()
        q_loss.backward()
        q_opt.step()
        count[0] += 1
        if count[0] % 2 == 0:
            a_loss = -qs[0](torch.cat([o, torch.tanh(actor(o))], 1)).mean()
            a_opt.zero_grad()
            a_loss.backward()
            a_opt.step()
            polyak(actor, actor_t)
            for q, t in zip(qs, targets):
                polyak(q, t)
    return step


def gmm_bc(width):
    net = mlp(OBS, width, K * (1 + 2 * ACT))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    data_o, data_u = torch.randn(steps * B, OBS), torch.randn(steps * B, ACT)
    perm = torch.randperm(steps * B)
    at = [0]

    def step():
        i = perm[(at[0] % steps) * B:(at[0] % steps + 1) * B]
        at[0] += 1
        out = net(data_o[i])
        sigma = torch.nn.functional.softplus(out[:, K + K * ACT:]).reshape(B, K, ACT) + 0.01
        mix = D.MixtureSameFamily(D.Categorical(logits=out[:, :K]), D.Independent(D.Normal(out[:, K:K + K * ACT].reshape(B, K, ACT), sigma), 1))
        loss = -mix.log_prob(data_u[i]).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
    return step


def hist_bc(width):
    net = mlp(FRAMES * OBS, width, ACT)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    data_o, data_u = torch.randn(steps * B, FRAMES * OBS), torch.randn(steps * B, ACT)
    perm = torch.randperm(steps * B)
    at = [0]

    def step():
        i = perm[(at[0] % steps) * B:(at[0] % steps + 1) * B]
        at[0] += 1
        loss = ((net(data_o[i]) - data_u[i]) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
    return step


for width in (64, 256):
    for name, make in (("sac", sac), ("td3", td3), ("gmm-bc", gmm_bc), ("hist-bc", hist_bc)):
        step = make(width)
        for _ in range(steps // 2):
            step()
        t = time.perf_counter()
        for _ in range(steps):
            step()
        seconds = time.perf_counter() - t
        print("torch  %-7s 2x%-4d steps/s %10.1f  (%s, %d threads)" % (name, width, steps / seconds, sys.argv[1], torch.get_num_threads()))
