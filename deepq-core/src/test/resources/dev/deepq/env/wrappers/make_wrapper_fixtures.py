"""Expected outputs of Gymnasium 0.29.1's NormalizeObservation, NormalizeReward and RecordEpisodeStatistics.

Gymnasium is not installable here, so this script restates the arithmetic of gymnasium/wrappers/normalize.py and
gymnasium/wrappers/record_episode_statistics.py (v0.29.1) with the same NumPy operations and dtypes, and runs it with
NumPy 1.24.2 (Debian's python3-numpy, the oracle's NumPy) over the observation/reward streams recorded in the
Gymnasium oracle (../shared/oracle). The NumPy details it pins down: observations stay float32 until the float64
statistics are subtracted, rewards enter NormalizeReward as float64, and RecordEpisodeStatistics sums rewards into a
float32 array.

Usage: /usr/bin/python3 make_wrapper_fixtures.py <oracle dir> > wrapper_fixtures.json
The stream, per case: for each run, for each episode: one reset (initial_obs), then its steps in order; the wrappers
keep their state across episodes and runs. WrapperFidelityTest rebuilds the same stream from the oracle.
"""
import json
import sys

import numpy as np

CASES = ["CartPole-v1", "Pendulum-v1"]


class RunningMeanStd:
    def __init__(self, epsilon=1e-4, shape=()):
        self.mean = np.zeros(shape, "float64")
        self.var = np.ones(shape, "float64")
        self.count = epsilon

    def update(self, x):
        batch_mean = np.mean(x, axis=0)
        batch_var = np.var(x, axis=0)
        batch_count = x.shape[0]
        delta = batch_mean - self.mean
        tot_count = self.count + batch_count
        new_mean = self.mean + delta * batch_count / tot_count
        m_a = self.var * self.count
        m_b = batch_var * batch_count
        m2 = m_a + m_b + np.square(delta) * self.count * batch_count / tot_count
        self.mean, self.var, self.count = new_mean, m2 / tot_count, tot_count


def events(case):
    for run in case["runs"]:
        for episode in run["episodes"]:
            yield ("reset", episode["initial_obs"], None, None, None)
            for k in range(len(episode["actions"])):
                yield ("step", episode["obs"][k], episode["reward"][k], episode["terminated"][k], episode["truncated"][k])


def main(oracle_dir):
    out = {"generated_by": "make_wrapper_fixtures.py", "numpy": np.__version__, "cases": {}}
    for env_id in CASES:
        with open(f"{oracle_dir}/{env_id}.json") as f:
            case = json.load(f)
        obs_size = len(case["runs"][0]["episodes"][0]["initial_obs"])
        obs_rms = RunningMeanStd(shape=(obs_size,))
        return_rms = RunningMeanStd(shape=())
        returns = np.zeros(1)
        episode_returns = np.zeros(1, dtype=np.float32)
        episode_lengths = np.zeros(1, dtype=np.int32)
        normalized_obs, normalized_rewards, ep_returns, ep_lengths = [], [], [], []
        for kind, obs, reward, terminated, truncated in events(case):
            # The env emits float32 observations (the oracle stores them widened exactly to float64).
            obs32 = np.array([np.array(obs, dtype=np.float32)])
            obs_rms.update(obs32)
            normalized = ((obs32 - obs_rms.mean) / np.sqrt(obs_rms.var + 1e-8))[0]
            normalized_obs.append([float(v) for v in normalized])
            if kind == "reset":
                episode_returns = np.zeros(1, dtype=np.float32)
                episode_lengths = np.zeros(1, dtype=np.int32)
                continue
            # Envs return a Python float (CartPole) or a NumPy float64 (Pendulum); both act the same below.
            rew = np.float64(reward)
            rews = np.array([rew])
            returns = returns * 0.99 * (1 - terminated) + rews
            return_rms.update(returns)
            normalized_rewards.append(float((rews / np.sqrt(return_rms.var + 1e-8))[0]))
            episode_returns += rew
            episode_lengths += 1
            if terminated or truncated:
                ep_returns.append(float(episode_returns[0]))
                ep_lengths.append(int(episode_lengths[0]))
                episode_returns[:] = 0
                episode_lengths[:] = 0
        out["cases"][env_id] = {
            "normalized_obs": normalized_obs,
            "normalized_reward": normalized_rewards,
            "episode_returns": ep_returns,
            "episode_lengths": ep_lengths,
            "final_obs_rms": {"mean": [float(v) for v in obs_rms.mean], "var": [float(v) for v in obs_rms.var],
                              "count": float(obs_rms.count)},
        }
    json.dump(out, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
