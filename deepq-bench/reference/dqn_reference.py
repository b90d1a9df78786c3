#!/usr/bin/env python3
"""An independent reference for deepq's DQN learning results, in PyTorch.

It re-implements, step for step, the two DQN training loops deepq's learning bars come from, so that their
results over many seeds can be measured on this machine where Gymnasium, CleanRL and Stable-Baselines3 cannot be
installed (only Debian's python3-torch and python3-numpy are available):

  cleanrl  CleanRL's dqn.py: MLP 120-84, Adam 2.5e-4, MSE loss, buffer 10k, batch 128, learning starts 10k,
           train every 10 steps, hard target update every 500 steps, epsilon 1 -> 0.05 over half the run,
           no bootstrap cut on truncation handling beyond CleanRL's (truncated transitions store the final
           observation and bootstrap; terminations do not).
  zoo      Stable-Baselines3 DQN with RL Zoo's CartPole-v1 hyperparameters: MLP 256-256, Adam 2.3e-3, Huber loss,
           gradient-norm clip 10, buffer 100k, batch 64, learning starts 1000, 128 gradient steps every 256 env
           steps, target copied every 10 env steps, epsilon 1 -> 0.04 over 16 % of the run.

The environments are NumPy ports of Gymnasium 0.29.1's CartPole-v1 and MountainCar-v0 dynamics (float64 state,
float32 observations, the same time limits). Seeding differs from Gymnasium's, so single runs differ from
deepq's; distributions over seeds are what is compared.

Usage:  python3 dqn_reference.py cleanrl MountainCar-v0 1 2 3 ...
        python3 dqn_reference.py zoo CartPole-v1 1 2 3 ...
Prints one line per seed (mean of the last 10 training episodes, greedy evaluation over 10 episodes, how many
training episodes ended before the time limit and the step the first one ended) and the IQM (25 % trimmed mean, as
scipy.stats.trim_mean) of the first two.
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


class CartPole:
    obs_size, n_actions, max_steps = 4, 2, 500

    def __init__(self, rng):
        self.rng = rng

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, size=4)
        self.t = 0
        return self.state.astype(np.float32)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = 10.0 if action == 1 else -10.0
        costheta, sintheta = math.cos(theta), math.sin(theta)
        total_mass, polemass_length, length, masspole = 1.1, 0.05, 0.5, 0.1
        temp = (force + polemass_length * theta_dot ** 2 * sintheta) / total_mass
        thetaacc = (9.8 * sintheta - costheta * temp) / (length * (4.0 / 3.0 - masspole * costheta ** 2 / total_mass))
        xacc = temp - polemass_length * thetaacc * costheta / total_mass
        x, x_dot = x + 0.02 * x_dot, x_dot + 0.02 * xacc
        theta, theta_dot = theta + 0.02 * theta_dot, theta_dot + 0.02 * thetaacc
        self.state = np.array([x, x_dot, theta, theta_dot])
        self.t += 1
        terminated = bool(x < -2.4 or x > 2.4 or theta < -12 * 2 * math.pi / 360 or theta > 12 * 2 * math.pi / 360)
        truncated = self.t >= self.max_steps and not terminated
        return self.state.astype(np.float32), 1.0, terminated, truncated


class MountainCar:
    obs_size, n_actions, max_steps = 2, 3, 200

    def __init__(self, rng):
        self.rng = rng

    def reset(self):
        self.state = np.array([self.rng.uniform(-0.6, -0.4), 0.0])
        self.t = 0
        return self.state.astype(np.float32)

    def step(self, action):
        position, velocity = self.state
        velocity += (action - 1) * 0.001 + math.cos(3 * position) * (-0.0025)
        velocity = min(max(velocity, -0.07), 0.07)
        position += velocity
        position = min(max(position, -1.2), 0.6)
        if position == -1.2 and velocity < 0:
            velocity = 0.0
        self.state = np.array([position, velocity])
        self.t += 1
        terminated = bool(position >= 0.5 and velocity >= 0)
        truncated = self.t >= self.max_steps and not terminated
        return self.state.astype(np.float32), -1.0, terminated, truncated


ENVS = {"CartPole-v1": CartPole, "MountainCar-v0": MountainCar}

CONFIGS = {
    "cleanrl": dict(hidden=(120, 84), lr=2.5e-4, loss="mse", clip=None, buffer=10_000, batch=128, starts=10_000,
                    train_freq=10, grad_steps=1, target_freq=500, start_e=1.0, end_e=0.05, fraction=0.5,
                    total=500_000, gamma=0.99, random_before_start=False),
    "zoo": dict(hidden=(256, 256), lr=2.3e-3, loss="huber", clip=10.0, buffer=100_000, batch=64, starts=1000,
                train_freq=256, grad_steps=128, target_freq=10, start_e=1.0, end_e=0.04, fraction=0.16,
                total=50_000, gamma=0.99, random_before_start=True),
}


def mlp(obs_size, hidden, n_actions):
    layers, size = [], obs_size
    for h in hidden:
        layers += [nn.Linear(size, h), nn.ReLU()]
        size = h
    layers.append(nn.Linear(size, n_actions))
    return nn.Sequential(*layers)


def train(config_name, env_id, seed):
    c = CONFIGS[config_name]
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    env = ENVS[env_id](np.random.default_rng(seed + 10_000))
    q = mlp(env.obs_size, c["hidden"], env.n_actions)
    target = mlp(env.obs_size, c["hidden"], env.n_actions)
    target.load_state_dict(q.state_dict())
    opt = torch.optim.Adam(q.parameters(), lr=c["lr"])
    n = c["buffer"]
    obs_buf = np.zeros((n, env.obs_size), np.float32)
    next_buf = np.zeros((n, env.obs_size), np.float32)
    act_buf = np.zeros(n, np.int64)
    rew_buf = np.zeros(n, np.float32)
    done_buf = np.zeros(n, np.float32)
    size = pos = 0
    returns, episode_return = [], 0.0
    early, first_early = 0, -1  # episodes that ended before the time limit (MountainCar: reached the flag)
    obs = env.reset()
    for step in range(c["total"]):
        slope = (c["end_e"] - c["start_e"]) / (c["fraction"] * c["total"])
        eps = max(slope * step + c["start_e"], c["end_e"])
        # CleanRL acts epsilon-greedily from the first step; Stable-Baselines3 acts randomly until learning starts.
        if (c["random_before_start"] and step < c["starts"]) or rng.random() < eps:
            action = int(rng.integers(env.n_actions))
        else:
            with torch.no_grad():
                action = int(q(torch.from_numpy(obs)).argmax().item())
        next_obs, reward, terminated, truncated = env.step(action)
        obs_buf[pos], next_buf[pos], act_buf[pos], rew_buf[pos], done_buf[pos] = obs, next_obs, action, reward, terminated
        pos, size = (pos + 1) % n, min(size + 1, n)
        episode_return += reward
        obs = next_obs
        if terminated or truncated:
            if terminated:
                early += 1
                first_early = step + 1 if first_early < 0 else first_early
            returns.append(episode_return)
            episode_return = 0.0
            obs = env.reset()
        if step > c["starts"] and step % c["train_freq"] == 0:
            for _ in range(c["grad_steps"]):
                idx = rng.integers(size, size=c["batch"])
                o, no = torch.from_numpy(obs_buf[idx]), torch.from_numpy(next_buf[idx])
                a, r, d = torch.from_numpy(act_buf[idx]), torch.from_numpy(rew_buf[idx]), torch.from_numpy(done_buf[idx])
                with torch.no_grad():
                    y = r + c["gamma"] * target(no).max(dim=1).values * (1 - d)
                pred = q(o).gather(1, a.unsqueeze(1)).squeeze(1)
                loss = F.mse_loss(pred, y) if c["loss"] == "mse" else F.smooth_l1_loss(pred, y)
                opt.zero_grad()
                loss.backward()
                if c["clip"] is not None:
                    nn.utils.clip_grad_norm_(q.parameters(), c["clip"])
                opt.step()
        if step % c["target_freq"] == 0 and (step > c["starts"] or c["random_before_start"]):
            target.load_state_dict(q.state_dict())
    eval_env = ENVS[env_id](np.random.default_rng(seed + 1_000_000))
    eval_returns = []
    for _ in range(10):
        o, total, done = eval_env.reset(), 0.0, False
        while not done:
            with torch.no_grad():
                a = int(q(torch.from_numpy(o)).argmax().item())
            o, r, term, trunc = eval_env.step(a)
            total += r
            done = term or trunc
        eval_returns.append(total)
    return float(np.mean(returns[-10:])), float(np.mean(eval_returns)), early, len(returns), first_early


def iqm(values):
    v = np.sort(np.asarray(values))
    cut = len(v) // 4
    return float(np.mean(v[cut:len(v) - cut]))


def main():
    torch.set_num_threads(1)
    config_name, env_id, seeds = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
    train_scores, eval_scores = [], []
    for seed in seeds:
        start = time.time()
        last10, greedy, early, episodes, first_early = train(config_name, env_id, seed)
        train_scores.append(last10)
        eval_scores.append(greedy)
        print(f"seed {seed}: last-10 training return {last10:.1f}, greedy eval {greedy:.1f}, {early} of {episodes}"
              f" episodes ended before the time limit (first at step {first_early}), {time.time() - start:.0f} s",
              flush=True)
    print(f"IQM over {len(seeds)} seeds: last-10 training return {iqm(train_scores):.1f}, greedy eval {iqm(eval_scores):.1f}")


if __name__ == "__main__":
    main()
