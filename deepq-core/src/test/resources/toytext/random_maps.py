"""Fixture for FrozenLake.generateRandomMap: Gymnasium 0.29.1's generate_random_map re-implemented on NumPy.

Gymnasium is not installable here, so this repeats its algorithm (frozen_lake.py, generate_random_map and is_valid)
on the same NumPy calls: np_random = Generator(PCG64(SeedSequence(seed))) (what gymnasium.utils.seeding.np_random
builds), then np_random.choice(["F", "H"], (size, size), p=[p, 1 - p]) until S can reach G.

Run with Debian's NumPy 1.24.2 (the oracle's version): /usr/bin/python3 random_maps.py > random_maps.json
"""
import json

import numpy as np


def is_valid(board, max_size):
    frontier, discovered = [(0, 0)], set()
    while frontier:
        r, c = frontier.pop()
        if (r, c) not in discovered:
            discovered.add((r, c))
            for x, y in [(1, 0), (0, 1), (-1, 0), (0, -1)]:
                r_new, c_new = r + x, c + y
                if r_new < 0 or r_new >= max_size or c_new < 0 or c_new >= max_size:
                    continue
                if board[r_new][c_new] == "G":
                    return True
                if board[r_new][c_new] != "H":
                    frontier.append((r_new, c_new))
    return False


def generate_random_map(size, p, seed):
    np_random = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    attempts = 0
    valid = False
    while not valid:
        attempts += 1
        p = min(1, p)
        board = np_random.choice(["F", "H"], (size, size), p=[p, 1 - p])
        board[0][0] = "S"
        board[-1][-1] = "G"
        valid = is_valid(board, size)
    # the draw after the map shows the generator advanced exactly size * size doubles per attempt
    return ["".join(x) for x in board], attempts, np_random.random()


CASES = [(8, 0.8, 0), (8, 0.8, 1), (8, 0.8, 42), (4, 0.8, 0), (4, 0.5, 3), (5, 0.6, 7), (8, 0.5, 123),
         (10, 0.9, 2024), (3, 0.3, 5), (2, 1.0, 0), (6, 1.5, 9), (12, 0.7, 2**40 + 7)]

if __name__ == "__main__":
    out = {"numpy": np.__version__, "cases": []}
    for size, p, seed in CASES:
        desc, attempts, next_random = generate_random_map(size, p, seed)
        out["cases"].append({"size": size, "p": p, "seed": seed, "desc": desc, "attempts": attempts,
                             "next_random": next_random})
    print(json.dumps(out, indent=1))
