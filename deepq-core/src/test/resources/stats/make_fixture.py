#!/usr/bin/env python3
"""Reference numbers for dev.deepq.eval.stats (StatsFixtureTest), computed with NumPy and SciPy.

rliable itself is not installable here, so this script re-states its definitions (rliable/metrics.py and
rliable/library.py, with arch's percentile interval) on top of NumPy/SciPy, line for line:
  aggregate_mean            np.mean(np.mean(scores, axis=0))
  aggregate_median          np.median(np.mean(scores, axis=0))
  aggregate_iqm             scipy.stats.trim_mean(scores, 0.25, axis=None)
  aggregate_optimality_gap  gamma - np.mean(np.minimum(scores, gamma)), gamma = 1
  probability_of_improvement  mean over tasks of mannwhitneyu(x, y, alternative='greater').statistic / (nx * ny)
                              (0.5 when the two columns are equal arrays)
  run_score_deviation       np.mean(scores > tau)
  StratifiedBootstrap       run indices np.random.choice(num_runs, (num_runs, num_tasks)), i.e. independent per task
  percentile interval       np.percentile(replicates, [100 a, 100 (1 - a)]), a = (1 - 0.95) / 2

The bootstrap draws from NumPy's RandomState, deepq from its own PCG64 stream, so the Java test compares intervals
statistically; point estimates and percentiles of given arrays are compared exactly.

Run with Debian's python3 (python3-numpy 1.24, python3-scipy 1.10):
  python3 make_fixture.py > fixture.json
"""
import json

import numpy as np
import scipy.stats

REPS = 50_000
CONFIDENCE = 0.95


def agg_mean(s):
    return np.mean(np.mean(s, axis=0))


def agg_median(s):
    return np.median(np.mean(s, axis=0))


def agg_iqm(s):
    return scipy.stats.trim_mean(s, proportiontocut=0.25, axis=None)


def agg_gap(s, gamma=1.0):
    return gamma - np.mean(np.minimum(s, gamma))


def poi(x, y):
    probs = []
    for t in range(x.shape[1]):
        if np.array_equal(x[:, t], y[:, t]):
            probs.append(0.5)
        else:
            u, _ = scipy.stats.mannwhitneyu(x[:, t], y[:, t], alternative='greater')
            probs.append(u / (x.shape[0] * y.shape[0]))
    return np.mean(probs)


def resample(rs, s, reps):
    """reps stratified resamples of s (runs x tasks): shape (reps, runs, tasks)."""
    runs, tasks = s.shape
    idx = rs.choice(runs, (reps, runs, tasks), replace=True)
    return s[idx, np.arange(tasks)[None, None, :]]


def interval(replicates):
    a = (1.0 - CONFIDENCE) / 2
    lo, hi = np.percentile(replicates, [100 * a, 100 * (1.0 - a)])
    return [float(lo), float(hi)]


def batched(fn, boot):
    return np.array([fn(b) for b in boot])


def vector_metrics(boot):
    """The four aggregates of each resample, vectorized over the first axis."""
    reps = boot.shape[0]
    task_means = boot.mean(axis=1)
    flat = boot.reshape(reps, -1)
    return {
        'mean': task_means.mean(axis=1),
        'median': np.median(task_means, axis=1),
        'iqm': scipy.stats.trim_mean(flat, 0.25, axis=1),
        'optimality_gap': 1.0 - np.minimum(flat, 1.0).mean(axis=1),
    }


def matrix_case(name, s, rs):
    point = {'mean': agg_mean(s), 'median': agg_median(s), 'iqm': agg_iqm(s), 'optimality_gap': agg_gap(s)}
    boot = resample(rs, s, REPS)
    reps = vector_metrics(boot)
    # The vectorized replicates must be the rliable functions applied to each resample.
    for k, fn in (('mean', agg_mean), ('median', agg_median), ('iqm', agg_iqm), ('optimality_gap', agg_gap)):
        check = batched(fn, boot[:200])
        assert np.allclose(check, reps[k][:200], rtol=0, atol=1e-12), k
    return {
        'name': name,
        'scores': s.tolist(),  # [run][task], rliable's layout
        'point': {k: float(v) for k, v in point.items()},
        'ci': {k: interval(v) for k, v in reps.items()},
        'bootstrap_std': {k: float(np.std(v)) for k, v in reps.items()},
    }


def main():
    rs = np.random.RandomState(20211111)
    cases = []
    # Normalized-looking scores, sizes not divisible by 4.
    cases.append(matrix_case('normal_10x5', rs.normal(0.6, 0.3, (10, 5)), rs))
    # Ties and repeated values, n = 21.
    cases.append(matrix_case('ties_7x3', rs.randint(0, 4, (7, 3)) / 2.0, rs))
    # Skewed scores on several scales (median of an even number of tasks).
    cases.append(matrix_case('skewed_5x6', rs.lognormal(0.0, 1.0, (5, 6)) - 0.5, rs))
    # rliable's own test matrix (library_test.py): arange(80) as 5 runs x 16 tasks.
    cases.append(matrix_case('rliable_arange_5x16', np.arange(80, dtype=float).reshape(5, 16), rs))

    # Probability of improvement: X and Y with different numbers of runs, with ties, plus an identical task.
    x = np.round(rs.normal(0.5, 0.3, (8, 4)), 1)
    y = np.round(rs.normal(0.4, 0.3, (6, 4)), 1)
    y[:, 3] = x[:6, 3]
    poi_point = poi(x, y)
    bx = resample(rs, x, REPS)
    by = resample(rs, y, REPS)
    # Per task: fraction of pairs with x > y, ties one half, vectorized over replicates.
    gt = (bx[:, :, None, :] > by[:, None, :, :]).sum(axis=(1, 2))
    eq = (bx[:, :, None, :] == by[:, None, :, :]).sum(axis=(1, 2))
    poi_reps = ((gt + 0.5 * eq) / (x.shape[0] * y.shape[0])).mean(axis=1)
    for i in range(100):
        assert abs(poi(bx[i], by[i]) - poi_reps[i]) < 1e-12
    poi_case = {'x': x.tolist(), 'y': y.tolist(), 'point': float(poi_point), 'ci': interval(poi_reps),
                'bootstrap_std': float(np.std(poi_reps))}

    # Performance profile (run-score distribution) with intervals.
    s = cases[0]['scores']
    s = np.array(s)
    taus = np.linspace(0.0, 1.2, 7)
    profile_point = [float(np.mean(s > t)) for t in taus]
    boot = resample(rs, s, REPS)
    prof_reps = np.stack([(boot > t).reshape(REPS, -1).mean(axis=1) for t in taus], axis=1)
    profile = {'taus': taus.tolist(), 'point': profile_point,
               'ci': [interval(prof_reps[:, k]) for k in range(len(taus))],
               'bootstrap_std': [float(v) for v in prof_reps.std(axis=0)]}

    # Percentiles of given arrays, exactly as np.percentile (linear).
    percentile_cases = []
    for n in (1, 2, 5, 10, 37, 1000):
        a = np.sort(rs.normal(0.0, 10.0, n))
        qs = [0.0, 2.5, 2.5000000000000022, 25.0, 50.0, 97.5, 97.49999999999999, 100.0, 33.3]
        percentile_cases.append({'sorted': a.tolist(), 'q': qs, 'value': [float(np.percentile(a, q)) for q in qs]})

    json.dump({'reps': REPS, 'confidence': CONFIDENCE, 'matrices': cases, 'probability_of_improvement': poi_case,
               'performance_profile': profile, 'percentiles': percentile_cases}, fp=__import__('sys').stdout,
              indent=1)


if __name__ == '__main__':
    main()
