package dev.deepq.env.wrappers;

import dev.deepq.env.Env;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.env.spaces.Space;
import java.util.ArrayDeque;

/**
 * A test env that replays queued outcomes: each reset takes the next queued reset observation, each step the next
 * queued step outcome, whatever the action. It records the last action it received.
 */
final class ScriptedEnv extends Env {
    private record Outcome(double[] observation, double reward, boolean terminated, boolean truncated) {}

    private final ArrayDeque<double[]> resets = new ArrayDeque<>();
    private final ArrayDeque<Outcome> steps = new ArrayDeque<>();
    int lastDiscreteAction = -1;
    double[] lastBoxAction;
    int stepCalls;

    ScriptedEnv(Space observationSpace, Space actionSpace) {
        super(observationSpace, actionSpace);
    }

    ScriptedEnv(Space observationSpace) {
        this(observationSpace, new Discrete(2));
    }

    ScriptedEnv onReset(double... observation) {
        resets.add(observation.clone());
        return this;
    }

    ScriptedEnv onStep(double[] observation, double reward, boolean terminated, boolean truncated) {
        steps.add(new Outcome(observation.clone(), reward, terminated, truncated));
        return this;
    }

    int pendingSteps() {
        return steps.size();
    }

    @Override
    protected void resetEnv(boolean seeded, long seed) {
        double[] obs = resets.poll();
        if (obs == null) {
            throw new IllegalStateException("ScriptedEnv: no reset queued");
        }
        System.arraycopy(obs, 0, observation, 0, observation.length);
    }

    @Override
    protected void stepEnv(int action) {
        lastDiscreteAction = action;
        next();
    }

    @Override
    protected void stepEnv(double[] action) {
        lastBoxAction = action.clone();
        next();
    }

    private void next() {
        stepCalls++;
        Outcome o = steps.poll();
        if (o == null) {
            throw new IllegalStateException("ScriptedEnv: no step queued");
        }
        System.arraycopy(o.observation(), 0, observation, 0, observation.length);
        result.set(o.reward(), o.terminated(), o.truncated());
    }
}
