#!/usr/bin/env python3
"""A PyTorch peer for deepq's SAC speed figure, timed on the same machine in the same session.

Stable-Baselines3 and Gymnasium cannot be installed here (only Debian's python3-torch and python3-numpy), so this
re-implements Stable-Baselines3 2.x SAC's training loop with RL Zoo's Pendulum-v1 settings, update for update:

  20k env steps, learning starts after 100 (uniform random actions before), one gradient step per env step,
  buffer 1e6, batch 256, gamma 0.99, tau 0.005, Adam 1e-3 for actor, critics and the entropy coefficient,
  actor and twin critics with 256-256 ReLU hidden layers, tanh-squashed Gaussian policy with log std clamped to
  [-20, 2] and log-probability correction log(1 - tanh(u)^2 + 1e-6), automatic entropy tuning from
  log alpha = 0 with target entropy -1, the entropy-coefficient step first, then the critic step, then the actor
  step on the updated critics, then the Polyak update.

It is leaner than Stable-Baselines3 itself (no policy wrappers, callbacks, logger or numpy/tensor round trips per
step), so its time is a lower bound for Stable-Baselines3's on this machine. The environment is a NumPy port of
Gymnasium 0.29.1's Pendulum-v1 (max speed 8, max torque 2, dt 0.05, g 10, truncation at 200 steps).

Usage:  python3 sac_reference.py SEED [SEED ...]
Prints, per seed, the training wall time (evaluation excluded), the updates, and a 10-episode deterministic
evaluation.
"""
import os

# One core, as the peers' times are quoted: Debian's PyTorch does its matrix products in OpenBLAS, whose own thread
# pool ignores torch.set_num_threads and would otherwise take both cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import math
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Pendulum:
    obs_size, act_size, max_steps = 3, 1, 200
    max_speed, max_torque, dt, g, m, l = 8.0, 2.0, 0.05, 10.0, 1.0, 1.0

    def __init__(self, rng):
        self.rng = rng

    def reset(self):
        self.th = self.rng.uniform(-math.pi, math.pi)
        self.thdot = self.rng.uniform(-1.0, 1.0)
        self.t = 0
        return self.obs()

    def obs(self):
        return np.array([math.cos(self.th), math.sin(self.th), self.thdot], dtype=np.float32)

    def step(self, u):
        u = min(max(float(u), -self.max_torque), self.max_torque)
        th, thdot = self.th, self.thdot
        angle = ((th + math.pi) % (2 * math.pi)) - math.pi
        cost = angle ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2
        thdot = thdot + (3 * self.g / (2 * self.l) * math.sin(th) + 3.0 / (self.m * self.l ** 2) * u) * self.dt
        thdot = min(max(thdot, -self.max_speed), self.max_speed)
        self.th = th + thdot * self.dt
        self.thdot = thdot
        self.t += 1
        return self.obs(), -cost, self.t >= self.max_steps


def mlp(inputs, outputs):
    return nn.Sequential(nn.Linear(inputs, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, outputs))


class Actor(nn.Module):
    def __init__(self, obs_size, act_size):
        super().__init__()
        self.latent = nn.Sequential(nn.Linear(obs_size, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU())
        self.mu = nn.Linear(256, act_size)
        self.log_std = nn.Linear(256, act_size)

    def sample(self, obs):
        h = self.latent(obs)
        mean, log_std = self.mu(h), torch.clamp(self.log_std(h), -20.0, 2.0)
        std = log_std.exp()
        u = mean + std * torch.randn_like(mean)
        action = torch.tanh(u)
        log_prob = (-0.5 * ((u - mean) / std) ** 2 - log_std - 0.5 * math.log(2 * math.pi)).sum(dim=1)
        log_prob = log_prob - torch.log(1 - action ** 2 + 1e-6).sum(dim=1)
        return action, log_prob

    def deterministic(self, obs):
        return torch.tanh(self.mu(self.latent(obs)))


def train(seed, total_steps=20_000, learning_starts=100, batch=256, gamma=0.99, tau=0.005, lr=1e-3):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    env = Pendulum(rng)
    o, a = Pendulum.obs_size, Pendulum.act_size
    actor = Actor(o, a)
    critics = nn.ModuleList([mlp(o + a, 1), mlp(o + a, 1)])
    targets = nn.ModuleList([mlp(o + a, 1), mlp(o + a, 1)])
    targets.load_state_dict(critics.state_dict())
    log_alpha = torch.zeros(1, requires_grad=True)
    actor_opt = torch.optim.Adam(actor.parameters(), lr=lr)
    critic_opt = torch.optim.Adam(critics.parameters(), lr=lr)
    alpha_opt = torch.optim.Adam([log_alpha], lr=lr)
    target_entropy = -float(a)

    obs_buf = np.zeros((total_steps, o), np.float32)
    next_buf = np.zeros((total_steps, o), np.float32)
    act_buf = np.zeros((total_steps, a), np.float32)
    rew_buf = np.zeros((total_steps, 1), np.float32)
    done_buf = np.zeros((total_steps, 1), np.float32)  # Pendulum only truncates: never a terminal flag

    start = time.time()
    updates = 0
    obs = env.reset()
    for step in range(total_steps):
        if step < learning_starts:
            action = rng.uniform(-1.0, 1.0, size=a).astype(np.float32)
        else:
            with torch.no_grad():
                action = actor.sample(torch.from_numpy(obs).unsqueeze(0))[0][0].numpy()
        next_obs, reward, truncated = env.step(action[0] * Pendulum.max_torque)
        obs_buf[step], next_buf[step], act_buf[step], rew_buf[step] = obs, next_obs, action, reward
        obs = env.reset() if truncated else next_obs

        if step + 1 > learning_starts:
            idx = rng.integers(0, step + 1, size=batch)
            s, s2 = torch.from_numpy(obs_buf[idx]), torch.from_numpy(next_buf[idx])
            act, r, d = torch.from_numpy(act_buf[idx]), torch.from_numpy(rew_buf[idx]), torch.from_numpy(done_buf[idx])

            pi, log_prob = actor.sample(s)
            alpha_loss = -(log_alpha * (log_prob + target_entropy).detach()).mean()
            alpha_opt.zero_grad()
            alpha_loss.backward()
            alpha_opt.step()
            alpha = log_alpha.detach().exp()

            with torch.no_grad():
                a2, log_prob2 = actor.sample(s2)
                sa2 = torch.cat([s2, a2], dim=1)
                q_next = torch.min(targets[0](sa2), targets[1](sa2)) - alpha * log_prob2.unsqueeze(1)
                y = r + (1 - d) * gamma * q_next
            sa = torch.cat([s, act], dim=1)
            critic_loss = 0.5 * sum(F.mse_loss(c(sa), y) for c in critics)
            critic_opt.zero_grad()
            critic_loss.backward()
            critic_opt.step()

            spi = torch.cat([s, pi], dim=1)
            q_pi = torch.min(critics[0](spi), critics[1](spi))
            actor_loss = (alpha * log_prob.unsqueeze(1) - q_pi).mean()
            actor_opt.zero_grad()
            actor_loss.backward()
            actor_opt.step()

            with torch.no_grad():
                for p, tp in zip(critics.parameters(), targets.parameters()):
                    tp.mul_(1 - tau).add_(p, alpha=tau)
            updates += 1
    seconds = time.time() - start

    eval_env = Pendulum(np.random.default_rng(1_000_000 + seed))
    returns = []
    for _ in range(10):
        obs, total, done = eval_env.reset(), 0.0, False
        while not done:
            with torch.no_grad():
                action = actor.deterministic(torch.from_numpy(obs).unsqueeze(0))[0].numpy()
            obs, reward, done = eval_env.step(action[0] * Pendulum.max_torque)
            total += reward
        returns.append(total)
    return seconds, updates, float(np.mean(returns))


def main():
    torch.set_num_threads(1)
    try:
        seeds = [int(s) for s in sys.argv[1:]]
    except ValueError as e:
        sys.exit(f"sac_reference.py: seeds must be integers ({e}); usage: sac_reference.py SEED [SEED ...]")
    if not seeds:
        sys.exit("usage: sac_reference.py SEED [SEED ...]")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)", flush=True)
    for seed in seeds:
        seconds, updates, greedy = train(seed)
        print(f"seed {seed}: {seconds:.1f} s wall, {updates} gradient updates, greedy eval {greedy:.1f}", flush=True)


if __name__ == "__main__":
    main()
