package dev.deepq.box2d;

import dev.deepq.env.Env;
import dev.deepq.env.StepResult;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.random.Rng;

/** Runs the policies of ../shared/lunarlander/README.md on the port and gathers the same statistics. */
final class LunarLanderEpisodes {
    enum Policy { RANDOM, HEURISTIC }

    /** Episode statistics in the JSON's terms. */
    record Stats(int episodes, double returnMean, double returnStd, double lengthMean, double lengthStd,
                 double fractionAtRest, double fractionCrashedOrOut, double fractionTruncated) {
        double returnStandardError() {
            return returnStd / Math.sqrt(episodes);
        }

        double lengthStandardError() {
            return lengthStd / Math.sqrt(episodes);
        }
    }

    private LunarLanderEpisodes() {}

    /** {@code episodes} episodes with seeds {@code firstSeed} upward; the random policy's space is seeded per episode. */
    static Stats run(Env env, Policy policy, long firstSeed, int episodes) {
        double[] returns = new double[episodes];
        double[] lengths = new double[episodes];
        int atRest = 0;
        int crashed = 0;
        int truncated = 0;
        boolean continuous = env.actionSpace() instanceof Box;
        double[] action = new double[2];
        for (int e = 0; e < episodes; e++) {
            long seed = firstSeed + e;
            Rng actionRng = Rng.seeded(seed);
            StepResult r = env.reset(seed);
            double total = 0;
            int steps = 0;
            while (true) {
                double[] s = r.observation();
                if (continuous) {
                    if (policy == Policy.RANDOM) {
                        ((Box) env.actionSpace()).sample(actionRng, action);
                    } else {
                        heuristicContinuous(s, action);
                    }
                    r = env.step(action);
                } else {
                    int a = policy == Policy.RANDOM ? ((Discrete) env.actionSpace()).sample(actionRng)
                            : heuristicDiscrete(s);
                    r = env.step(a);
                }
                total += r.reward();
                steps++;
                if (r.terminated() || r.truncated()) {
                    break;
                }
            }
            returns[e] = total;
            lengths[e] = steps;
            if (r.truncated() && !r.terminated()) {
                truncated++;
            } else if (r.reward() == 100.0) {
                atRest++;
            } else if (r.reward() == -100.0) {
                crashed++;
            }
        }
        return new Stats(episodes, mean(returns), std(returns), mean(lengths), std(lengths),
                (double) atRest / episodes, (double) crashed / episodes, (double) truncated / episodes);
    }

    /** Gymnasium's {@code heuristic}: returns angle_todo and hover_todo. */
    private static double[] todo(double[] s, double[] out) {
        double angleTarg = Math.min(0.4, Math.max(-0.4, s[0] * 0.5 + s[2] * 1.0));
        double hoverTarg = 0.55 * Math.abs(s[0]);
        double angleTodo = (angleTarg - s[4]) * 0.5 - s[5] * 1.0;
        double hoverTodo = (hoverTarg - s[1]) * 0.5 - s[3] * 0.5;
        if (s[6] != 0 || s[7] != 0) {
            angleTodo = 0;
            hoverTodo = -s[3] * 0.5;
        }
        out[0] = angleTodo;
        out[1] = hoverTodo;
        return out;
    }

    static int heuristicDiscrete(double[] s) {
        double[] t = todo(s, new double[2]);
        double angleTodo = t[0];
        double hoverTodo = t[1];
        if (hoverTodo > Math.abs(angleTodo) && hoverTodo > 0.05) {
            return 2;
        } else if (angleTodo < -0.05) {
            return 3;
        } else if (angleTodo > 0.05) {
            return 1;
        }
        return 0;
    }

    static void heuristicContinuous(double[] s, double[] action) {
        double[] t = todo(s, new double[2]);
        action[0] = Math.min(1, Math.max(-1, t[1] * 20 - 1));
        action[1] = Math.min(1, Math.max(-1, -t[0] * 20));
    }

    static double mean(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        return sum / x.length;
    }

    /** Population standard deviation, as NumPy's {@code std()}. */
    static double std(double[] x) {
        double m = mean(x);
        double sum = 0;
        for (double v : x) {
            sum += (v - m) * (v - m);
        }
        return Math.sqrt(sum / x.length);
    }
}
