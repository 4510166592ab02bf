#!/usr/bin/python3
"""The PPO update of PpoUpdateBench in PyTorch (Debian's python3-torch, CPU): same sizes, same
losses, same optimiser. Prints samples per second for 2x64 and 2x256 in the given dtype."""
import sys
import time
import torch

dtype = torch.float64 if sys.argv[1] == "float64" else torch.float32
updates = int(sys.argv[2]) if len(sys.argv) > 2 else 5
torch.set_default_dtype(dtype)
torch.manual_seed(0)
OBS, ACT, N, MB, EPOCHS = 18, 8, 2048, 64, 10


def mlp(width, out):
    return torch.nn.Sequential(torch.nn.Linear(OBS, width), torch.nn.Tanh(), torch.nn.Linear(width, width), torch.nn.Tanh(),
                               torch.nn.Linear(width, out))


for width in (64, 256):
    actor, critic = mlp(width, ACT), mlp(width, 1)
    log_std = torch.nn.Parameter(torch.zeros(ACT))
    params = list(actor.parameters()) + [log_std] + list(critic.parameters())
    opt = torch.optim.Adam(params, lr=3e-4, eps=1e-5)
    obs, act = torch.randn(N, OBS), torch.randn(N, ACT)
    lp_old, adv, ret = torch.randn(N) - 10, torch.randn(N), torch.randn(N)

    def update():
        for _ in range(EPOCHS):
            perm = torch.randperm(N)
            for s in range(0, N, MB):
                i = perm[s:s + MB]
                dist = torch.distributions.Normal(actor(obs[i]), log_std.exp())
                lp = dist.log_prob(act[i]).sum(-1)
                entropy = dist.entropy().sum(-1).mean()
                a = adv[i]
                a = (a - a.mean()) / (a.std() + 1e-8)
                ratio = (lp - lp_old[i]).exp()
                policy_loss = -torch.min(ratio * a, ratio.clamp(0.8, 1.2) * a).mean()
                value_loss = ((critic(obs[i]).squeeze(-1) - ret[i]) ** 2).mean()
                loss = policy_loss + 0.5 * value_loss - 0.0 * entropy
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 0.5)
                opt.step()

    update()
    update()
    t = time.perf_counter()
    for _ in range(updates):
        update()
    seconds = time.perf_counter() - t
    print("torch  2x%-4d samples/s %10.0f  (%s, %d threads)" % (width, updates * EPOCHS * N / seconds, sys.argv[1], torch.get_num_threads()))
