package dev.deepq.env.wrappers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Stepping through wrappers must not allocate: measured with the JVM's per-thread allocation counter. */
class WrapperAllocationTest {
    private static final int WARMUP_STEPS = 60_000;
    private static final int MEASURED_STEPS = 200_000;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Runs {@code steps} steps with alternating-ish actions, resetting at episode ends; returns a checksum. */
    private static double run(Env env, int steps) {
        double checksum = 0;
        int action = 0;
        for (int t = 0; t < steps; t++) {
            StepResult r = env.step(action);
            checksum += r.reward() + r.observation()[0];
            action = (t * 7 + (r.observation()[2] > 0 ? 1 : 0)) % 3 == 0 ? 0 : 1;
            if (r.done()) {
                env.reset();
            }
        }
        return checksum;
    }

    private static double bytesPerStep(Env env) {
        env.reset(0);
        double sink = run(env, WARMUP_STEPS);
        long before = allocatedBytes();
        sink += run(env, MEASURED_STEPS);
        long after = allocatedBytes();
        assertThat(sink).isFinite();
        return (double) (after - before) / MEASURED_STEPS;
    }

    @Test
    void timeLimitAndRecordEpisodeStatisticsAllocateNothingPerStep() {
        RecordEpisodeStatistics env = new RecordEpisodeStatistics(Envs.make("CartPole-v1"));
        double perStep = bytesPerStep(env);
        assertThat(env.episodeCount()).isGreaterThan(1000);
        assertThat(perStep).as("bytes allocated per step").isLessThan(0.5);
    }

    @Test
    void aLongWrapperChainAllocatesNothingPerStep() {
        Env env = Envs.make("CartPole-v1");
        env = new RecordEpisodeStatistics(env);
        env = new NormalizeReward(env);
        env = new TransformReward(env, r -> Math.max(-10, Math.min(10, r)));
        env = new NormalizeObservation(env);
        env = new FlattenObservation(env);
        env = new FrameStack(env, 4);
        assertThat(bytesPerStep(env)).as("bytes allocated per step").isLessThan(0.5);
    }
}
