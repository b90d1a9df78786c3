#!/usr/bin/env python3
"""Redoes, in PyTorch, every gradient update of a deepq DQN run recorded by dev.deepq.bench.DqnTrace.

It checks that each recorded minibatch row is a real transition from the run's last buffer_size steps (observation,
action, reward, next or final observation, and a zero discount exactly for terminations), that the data is
MountainCar's (dynamics, ends, resets) and that the agent acted epsilon-greedily on its current weights, then starts
a PyTorch copy of the Q-network from deepq's initial weights and applies CleanRL's dqn.py update (MSE to
r + discount * max_a' Q_target(s', a'), Adam 2.5e-4, hard target copy every 500 steps) to the same minibatches,
printing how far PyTorch's weights are from deepq's wherever deepq saved them.

On identical data the two learners agree to float32 rounding (about 1e-4 in weights after tens of thousands of
updates) for as long as nothing amplifies rounding; a learner that differed would show a jump at once.

Usage:  java -cp deepq-bench/target/benchmarks.jar dev.deepq.bench.DqnTrace MountainCar-v0 5 500000 1000 /tmp/trace
        /usr/bin/python3 deepq-bench/reference/dqn_trace_replay.py /tmp/trace 1000
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BUFFER, BATCH, LR, TARGET_EVERY = 10_000, 128, 2.5e-4, 500  # CleanRL dqn.py


def load_layout(trace):
    layout = []
    for line in open(os.path.join(trace, "layout.txt")):
        name, offset, shape = line.split()
        layout.append((name, int(offset), [int(s) for s in shape.strip("[]").split(",")]))
    return layout


def build(layout):
    """The MLP the layout describes: Linear layers named 0, 2, 4, ... with ReLU between them."""
    weights = [shape for name, _, shape in layout if name.endswith(".weight")]
    layers = []
    for i, (out_size, in_size) in enumerate(weights):
        layers.append(nn.Linear(in_size, out_size))
        if i < len(weights) - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def load(net, layout, flat):
    state = net.state_dict()
    for name, offset, shape in layout:
        n = int(np.prod(shape))
        state[name] = torch.from_numpy(flat[offset:offset + n].copy()).reshape(shape)
    net.load_state_dict(state)


def flatten(net, layout, size):
    out = np.zeros(size, np.float32)
    state = net.state_dict()
    for name, offset, _ in layout:
        values = state[name].numpy().ravel()
        out[offset:offset + len(values)] = values
    return out


def read_rows(trace, name, dtype, row):
    """The file as rows of `row` values; a file cut mid-row (a run killed while writing) is refused by name."""
    values = np.fromfile(os.path.join(trace, name), dtype)
    if len(values) % row != 0:
        sys.exit(f"{os.path.join(trace, name)}: {len(values)} values is not a whole number of {row}-value rows"
                 " (truncated or from another run)")
    return values.reshape(-1, row)


def main():
    if len(sys.argv) != 3 or not sys.argv[2].isdigit() or int(sys.argv[2]) <= 0:
        sys.exit("usage: dqn_trace_replay.py TRACE_DIR EVERY_K (EVERY_K as given to DqnTrace, a positive integer)")
    trace, every = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(1)
    layout = load_layout(trace)
    init = np.fromfile(os.path.join(trace, "init.f32"), "<f4")
    if len(init) != layout[-1][1] + int(np.prod(layout[-1][2])):
        sys.exit(f"{trace}/init.f32 holds {len(init)} values but layout.txt describes a different network")
    obs_size = layout[0][2][1]
    transitions = read_rows(trace, "transitions.f32", "<f4", 2 * obs_size + 4)
    batches = read_rows(trace, "batches.f32", "<f4", BATCH * (2 * obs_size + 3))
    steps = np.fromfile(os.path.join(trace, "updates.i64"), "<i8")
    saved = read_rows(trace, "weights.f32", "<f4", len(init))
    if len(steps) != len(batches) or len(saved) != len(batches) // every:
        sys.exit(f"{trace}: {len(batches)} minibatches, {len(steps)} update steps and {len(saved)} saved weights"
                 f" do not belong to one run recorded with EVERY_K {every}")
    terminations = np.nonzero(transitions[:, obs_size + 2])[0]
    print(f"{len(transitions)} steps, {len(batches)} updates, {len(terminations)} terminations"
          f" (first at step {terminations[0] if len(terminations) else '-'})")

    def split(row):
        b = torch.from_numpy(row)
        k = BATCH * obs_size
        return (b[:k].reshape(BATCH, obs_size), b[k:k + BATCH].long(), b[k + BATCH:k + 2 * BATCH],
                b[k + 2 * BATCH:k + 3 * BATCH], b[k + 3 * BATCH:].reshape(BATCH, obs_size))

    # 1. Every row of every 100th minibatch is one of the run's transitions from its last BUFFER steps.
    index = {}
    for t, row in enumerate(transitions):
        index.setdefault(row[:obs_size + 1].tobytes(), []).append(t)
    checked = mismatched = 0
    for u in range(0, len(batches), 100):
        o, a, r, d, no = (x.numpy() for x in split(batches[u]))
        for i in range(BATCH):
            key = np.concatenate([o[i], [np.float32(a[i])]]).astype(np.float32).tobytes()
            candidates = [t for t in index.get(key, []) if steps[u] - BUFFER < t <= steps[u]]
            ok = any(np.array_equal(transitions[t, obs_size + 4:], no[i]) and transitions[t, obs_size + 1] == r[i]
                     and (d[i] == 0) == (transitions[t, obs_size + 2] == 1) for t in candidates)
            checked += 1
            mismatched += not ok
    print(f"minibatch rows checked against the run's transitions: {checked}, not found: {mismatched}")

    # 2. The data: MountainCar's dynamics (Gymnasium's step, from the float32 observations), episode ends and resets.
    o, action = transitions[:, :obs_size].astype(np.float64), transitions[:, obs_size]
    terminated, truncated = transitions[:, obs_size + 2] == 1, transitions[:, obs_size + 3] == 1
    nxt = transitions[:, obs_size + 4:].astype(np.float64)
    ends = np.nonzero(terminated | truncated)[0]
    lengths = np.diff(np.concatenate([[-1], ends]))
    starts = np.concatenate([[0], ends[:-1] + 1])
    if obs_size == 2 and transitions[:, obs_size + 1].max() == -1:
        velocity = np.clip(o[:, 1] + (action - 1) * 0.001 + np.cos(3 * o[:, 0]) * -0.0025, -0.07, 0.07)
        position = np.clip(o[:, 0] + velocity, -1.2, 0.6)
        velocity = np.where((position == -1.2) & (velocity < 0), 0.0, velocity)
        at_goal = (nxt[:, 0] >= 0.5) & (nxt[:, 1] >= 0)
        print(f"MountainCar dynamics from each observation: max |position error| {np.abs(position - nxt[:, 0]).max():.1e},"
              f" max |velocity error| {np.abs(velocity - nxt[:, 1]).max():.1e}; terminations exactly at the goal:"
              f" {bool(np.array_equal(at_goal, terminated))}; truncations at 200 steps:"
              f" {bool(np.all(lengths[truncated[ends]] == 200))}; resets in [-0.6, -0.4] at rest:"
              f" {bool(np.all((o[starts, 0] >= -0.6) & (o[starts, 0] <= -0.4) & (o[starts, 1] == 0)))}")
    inside = ~(terminated | truncated)[:-1]
    print(f"next observation = the following step's observation inside episodes:"
          f" {bool(np.array_equal(transitions[:-1][inside, obs_size + 4:], transitions[1:][inside, :obs_size]))}")

    # 3. Acting: in the train_frequency steps after a saved update the agent acts with those weights; CleanRL's
    #    epsilon-greedy takes the greedy action with probability 1 - eps + eps / |A|.
    net = build(layout)
    actions = layout[-1][2][0]
    greedy = expected = counted = 0
    for k in range(len(saved)):
        load(net, layout, saved[k])
        rows = np.arange(steps[(k + 1) * every - 1] + 1, min(steps[(k + 1) * every - 1] + 11, len(transitions)))
        with torch.no_grad():
            best = net(torch.from_numpy(transitions[rows, :obs_size].copy())).argmax(dim=1).numpy()
        greedy += int((best == transitions[rows, obs_size]).sum())
        eps = np.maximum(1 - 0.95 * rows / (0.5 * 500_000), 0.05)
        expected += float(np.sum(1 - eps + eps / actions))
        counted += len(rows)
    print(f"acting: greedy action of the current weights in {greedy} of {counted} steps ({greedy / counted:.4f});"
          f" epsilon-greedy expects {expected / counted:.4f}")

    # 4. The same updates in PyTorch.
    q, target = build(layout), build(layout)
    load(q, layout, init)
    load(target, layout, init)
    optimizer = torch.optim.Adam(q.parameters(), lr=LR)
    probes = torch.from_numpy(transitions[::max(1, len(transitions) // 2000), :obs_size].copy())
    deepq_net = build(layout)
    for u in range(len(batches)):
        o, a, r, d, no = split(batches[u])
        with torch.no_grad():
            y = r + d * target(no).max(dim=1).values
        loss = F.mse_loss(q(o).gather(1, a.unsqueeze(1)).squeeze(1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if steps[u] % TARGET_EVERY == 0:
            target.load_state_dict(q.state_dict())
        if (u + 1) % every == 0 and (u + 1) // every <= len(saved):
            theirs = saved[(u + 1) // every - 1]
            ours = flatten(q, layout, len(init))
            load(deepq_net, layout, theirs)
            with torch.no_grad():
                q_gap = (q(probes) - deepq_net(probes)).abs().max().item()
                q_scale = q(probes).abs().max().item()
            print(f"update {u + 1:6d} (step {steps[u]:7d}): max |weight difference| {np.abs(ours - theirs).max():.2e}"
                  f" (largest weight {np.abs(ours).max():.2f}), max |Q difference| on {len(probes)} visited states"
                  f" {q_gap:.2e} (largest |Q| {q_scale:.1f})", flush=True)


if __name__ == "__main__":
    main()
