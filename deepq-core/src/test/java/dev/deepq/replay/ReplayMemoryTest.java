package dev.deepq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

/** Memory per transition stays within 1.1x of the raw observation + action + reward bytes. */
class ReplayMemoryTest {
    private static final long ARRAY_HEADER = 16;

    /** Bytes of every array reachable from the state, headers included. */
    private static long stateBytes(ReplayBuffer.State s) {
        long bytes = ARRAY_HEADER + 4L * s.observations().length;
        bytes += s.discreteActions() != null ? ARRAY_HEADER + 4L * s.discreteActions().length : 0;
        bytes += s.continuousActions() != null ? ARRAY_HEADER + 4L * s.continuousActions().length : 0;
        bytes += ARRAY_HEADER + 4L * s.rewards().length;
        bytes += ARRAY_HEADER + s.flags().length;
        bytes += ARRAY_HEADER + 8L * s.allocated().length;
        bytes += ARRAY_HEADER + s.pending().length;
        bytes += ARRAY_HEADER + 4L * s.openChain().length;
        return bytes;
    }

    private static long rawBytesPerTransition(ReplayConfig c) {
        return 4L * c.observationSize() + 4L * c.actionSize() + 4L;
    }

    @Test
    void cartPoleBufferOfTenThousand() {
        ReplayConfig config = ReplayConfig.of(10_000, 4, ActionKind.DISCRETE, 1, 0.99);
        ReplayBuffer buffer = new ReplayBuffer(config);
        long raw = 10_000 * rawBytesPerTransition(config);
        long allocated = stateBytes(buffer.state());
        assertThat(allocated).isLessThanOrEqualTo((long) (1.1 * raw));
        assertThat(buffer.allocatedBytes()).isGreaterThanOrEqualTo(allocated).isLessThanOrEqualTo((long) (1.1 * raw));
        System.out.printf("replay memory: CartPole 10k slots: %d bytes allocated, %d raw, ratio %.4f%n", allocated,
                raw, (double) allocated / raw);
    }

    @Test
    void largeObservationsOfEightyFourFloatsWithFourEnvStreams() {
        ReplayConfig config = new ReplayConfig(100_000, 84, ActionKind.DISCRETE, 1, 4, 3, 0.99);
        ReplayBuffer buffer = new ReplayBuffer(config);
        long raw = 100_000 * rawBytesPerTransition(config);
        long allocated = stateBytes(buffer.state());
        assertThat(allocated).isLessThanOrEqualTo((long) (1.1 * raw));
        System.out.printf("replay memory: 100k x 84 floats: %d bytes allocated, %d raw, ratio %.4f%n", allocated, raw,
                (double) allocated / raw);
    }

    @Test
    void continuousActionsAreStoredAsFloats() {
        ReplayConfig config = ReplayConfig.of(50_000, 17, ActionKind.CONTINUOUS, 6, 0.99);
        ReplayBuffer.State s = new ReplayBuffer(config).state();
        assertThat(s.discreteActions()).isNull();
        assertThat(s.continuousActions()).hasSize(50_000 * 6);
        assertThat(stateBytes(s)).isLessThanOrEqualTo((long) (1.1 * 50_000 * rawBytesPerTransition(config)));
    }

    /**
     * The honest figure: bytes per transition the buffer can actually sample, once a random CartPole policy has
     * filled and wrapped it. Every ended episode spends one slot on its final observation (random episodes last
     * about 22 steps, so about 4 % of the slots).
     */
    @Test
    void bytesPerStoredTransitionAfterRandomCartPoleEpisodes() {
        ReplayConfig config = ReplayConfig.of(10_000, 4, ActionKind.DISCRETE, 1, 0.99);
        ReplayBuffer buffer = new ReplayBuffer(config);
        Env env = Envs.make("CartPole-v1");
        double[] obs = env.reset(0).observation().clone();
        Rng rng = Rng.seeded(0);
        int episodes = 0;
        for (int t = 0; t < 30_000; t++) {
            int action = (int) (rng.nextLong() & 1);
            StepResult r = env.step(action);
            buffer.add(0, obs, action, r.reward(), r.terminated(), r.truncated(), r.observation());
            if (r.done()) {
                episodes++;
                r = env.reset();
            }
            System.arraycopy(r.observation(), 0, obs, 0, obs.length);
        }
        double perTransition = (double) stateBytes(buffer.state()) / buffer.size();
        double ratio = perTransition / rawBytesPerTransition(config);
        System.out.printf("replay memory: random CartPole (%.1f steps/episode): %d transitions in 10k slots, "
                + "%.2f bytes each, ratio %.4f%n", 30_000.0 / episodes, buffer.size(), perTransition, ratio);
        assertThat(buffer.size()).isGreaterThan(9_400);
        assertThat(ratio).isLessThanOrEqualTo(1.1);
    }
}
