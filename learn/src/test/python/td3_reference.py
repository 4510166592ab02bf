#!/usr/bin/python3
"""PyTorch (float64) reference for the TD3 and DDPG parity test.

Reads the case Td3DdpgParityTest wrote ("name v1 v2 ..." lines: network sizes, the actor's and its
target's weights, the critics' and their targets' weights in the Java layout, one minibatch and the
target smoothing noise), and runs, for "mode td3", two TD3 updates (the first steps only the
critics, the second, with policy_delay 2, also the actor and the targets), for "mode ddpg", one
DDPG update, with torch's ops and autograd, writing losses, gradients and parameters after.
"""
import sys

import torch
import torch.nn.functional as F

from sac_reference import bc_term, flat_java, grads, linear_params, mlp, read

torch.set_default_dtype(torch.float64)


def main():
    case = read(sys.argv[1])
    mode = "td3" if case["mode"][0] == 3 else "ddpg"
    out = {}
    actor_sizes = [int(v) for v in case["actor_sizes"]]
    q_sizes = [int(v) for v in case["q_sizes"]]
    act_dim = actor_sizes[-1]
    rows = int(case["rows"][0])
    actor, _ = mlp(actor_sizes, case["actor_params"], 0)
    actor_t, _ = mlp(actor_sizes, case["target_actor_params"], 0)
    q1, off = mlp(q_sizes, case["q_params"], 0)
    t1, toff = mlp(q_sizes, case["target_q_params"], 0)
    if mode == "td3":
        q2, _ = mlp(q_sizes, case["q_params"], off)
        t2, _ = mlp(q_sizes, case["target_q_params"], toff)
        qs, ts = (q1, q2), (t1, t2)
    else:
        qs, ts = (q1,), (t1,)
    lr, gamma, tau = case["lr"][0], case["gamma"][0], case["tau"][0]
    obs = torch.tensor(case["obs"]).reshape(rows, -1)
    nxt = torch.tensor(case["next"]).reshape(rows, -1)
    u = torch.tensor(case["u"]).reshape(rows, act_dim)
    r = torch.tensor(case["rewards"])
    not_done = torch.tensor(case["not_done"])
    actor_ps, q_ps = linear_params(actor), linear_params(*qs)
    actor_opt = torch.optim.Adam(actor_ps, lr=lr)
    q_opt = torch.optim.Adam(q_ps, lr=lr)
    steps = 2 if mode == "td3" else 1
    for step in range(steps):
        with torch.no_grad():
            u_next = torch.tanh(actor_t(nxt))
            if mode == "td3":
                eps = torch.tensor(case[f"eps_{step}"]).reshape(rows, act_dim)
                smoothing = (case["policy_noise"][0] * eps).clamp(-case["noise_clip"][0], case["noise_clip"][0])
                u_next = (u_next + smoothing).clamp(-1, 1)
            sa = torch.cat([nxt, u_next], 1)
            target_q = torch.min(*[t(sa) for t in ts]) if mode == "td3" else ts[0](sa)
            y = r + gamma * not_done * target_q.squeeze(-1)
        q_opt.zero_grad()
        sa = torch.cat([obs, u], 1)
        critic_loss = sum(F.mse_loss(q(sa).squeeze(-1), y) for q in qs)
        critic_loss.backward()
        out[f"{mode}_critic_loss_{step}"] = [critic_loss.item()]
        out[f"{mode}_critic_grads_{step}"] = grads(q_ps)
        q_opt.step()
        if mode == "ddpg" or step == 1:
            actor_opt.zero_grad()
            u_pi = torch.tanh(actor(obs))
            q_pi = q1(torch.cat([obs, u_pi], 1)).squeeze(-1)
            actor_loss = -q_pi.mean()
            if "bc_weight" in case:
                actor_loss = actor_loss + bc_term(case, obs, u, u_pi, q_pi, (q1,), out, mode)
            actor_loss.backward()
            out[f"{mode}_actor_loss"] = [actor_loss.item()]
            out[f"{mode}_actor_grads"] = grads(actor_ps)
            actor_opt.step()
            with torch.no_grad():
                for p, t in zip(actor_ps + q_ps, linear_params(actor_t) + linear_params(*ts)):
                    t.mul_(1 - tau).add_(tau * p)
    out[f"{mode}_actor_after"] = flat_java(actor_ps)
    out[f"{mode}_target_actor_after"] = flat_java(linear_params(actor_t))
    out[f"{mode}_q_after"] = flat_java(q_ps)
    out[f"{mode}_target_q_after"] = flat_java(linear_params(*ts))
    with open(sys.argv[2], "w") as f:
        for k, vals in out.items():
            f.write(k + " " + " ".join(repr(float(x)) for x in vals) + "\n")


if __name__ == "__main__":
    main()
