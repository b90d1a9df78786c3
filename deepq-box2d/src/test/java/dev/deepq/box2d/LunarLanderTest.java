package dev.deepq.box2d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.RgbFrame;
import dev.deepq.env.StepResult;
import dev.deepq.env.check.EnvCheckReport;
import dev.deepq.env.check.EnvChecker;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.random.Rng;
import dev.deepq.state.StateReader;
import dev.deepq.state.StateWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LunarLanderTest {

    @Test
    void registryHasBothIdsWithGymnasiumLimitsAndThresholds() {
        assertThat(Envs.ids()).contains("LunarLander-v3", "LunarLanderContinuous-v3");
        for (String id : new String[] {"LunarLander-v3", "LunarLanderContinuous-v3"}) {
            assertThat(Envs.spec(id).maxEpisodeSteps()).isEqualTo(1000);
            assertThat(Envs.spec(id).rewardThreshold()).isEqualTo(200.0);
            assertThat(Envs.spec(id).defaultOptions()).containsOnlyKeys("continuous", "gravity", "enable_wind",
                    "wind_power", "turbulence_power");
        }
        assertThat(Envs.make("LunarLander-v3").actionSpace()).isEqualTo(new Discrete(4));
        assertThat(Envs.make("LunarLanderContinuous-v3").actionSpace()).isInstanceOf(Box.class);
        assertThat(Envs.make("LunarLander-v3", Map.of("continuous", true)).actionSpace()).isInstanceOf(Box.class);
    }

    @Test
    void spacesAreGymnasiums() {
        Env env = new LunarLander();
        Box obs = (Box) env.observationSpace();
        assertThat(obs.shape()).containsExactly(8);
        assertThat(obs.low()).containsExactly(-1.5, -1.5, -5, -5, (float) -Math.PI, -5, -0.0, -0.0);
        assertThat(obs.high()).containsExactly(1.5, 1.5, 5, 5, (float) Math.PI, 5, 1, 1);
        Box act = (Box) new LunarLander(true, -10, false, 15, 1.5).actionSpace();
        assertThat(act.shape()).containsExactly(2);
        assertThat(act.low()).containsExactly(-1, -1);
        assertThat(act.high()).containsExactly(1, 1);
    }

    @Test
    void resetStartsAtTheTopCentreWithLegsOffTheGround() {
        Env env = new LunarLander();
        for (long seed = 0; seed < 20; seed++) {
            double[] s = env.reset(seed).observation();
            assertThat(Math.abs(s[0])).as("x near the centre").isLessThan(0.05);
            assertThat(s[1]).as("y high above the pad").isBetween(1.3, 1.5);
            assertThat(s[6]).isZero();
            assertThat(s[7]).isZero();
            assertThat(env.lastResult().reward()).isZero();
            for (double v : s) {
                assertThat((double) (float) v).as("observations are float32").isEqualTo(v);
            }
        }
    }

    /**
     * Gymnasium does not clip the observation: the lander starts at y = 1.41 and an upward initial push can carry it
     * above the declared bound 1.5 for a while. The port keeps that (clipping would change what agents see), so only
     * y may leave the box, and only upwards; under the heuristic everything else stays inside.
     */
    @Test
    void observationsStayInsideTheirBoundsExceptGymnasiumsHighStart() {
        Env env = Envs.make("LunarLander-v3");
        Box box = (Box) env.observationSpace();
        int aboveCount = 0;
        for (long seed = 0; seed < 20; seed++) {
            StepResult r = env.reset(seed);
            while (true) {
                double[] s = r.observation();
                for (int i = 0; i < 8; i++) {
                    if (i == 1 && s[1] > box.high(1)) {
                        aboveCount++;
                        assertThat(s[1]).as("y above 1.5 only by a push, seed %d", seed).isLessThan(1.7);
                        continue;
                    }
                    assertThat(s[i]).as("seed %d element %d", seed, i).isBetween(box.low(i), box.high(i));
                }
                r = env.step(LunarLanderEpisodes.heuristicDiscrete(r.observation()));
                if (r.terminated() || r.truncated()) {
                    break;
                }
            }
        }
        assertThat(aboveCount).as("some seeds start with an upward push past y = 1.5, as in Gymnasium").isPositive();
    }

    @Test
    void theSameSeedGivesTheSameEpisodeAfterAnyHistory() {
        Env env = Envs.make("LunarLanderContinuous-v3");
        List<double[]> first = trajectory(env, 7);
        trajectory(env, 8); // a different episode in between
        List<double[]> again = trajectory(env, 7);
        List<double[]> fresh = trajectory(Envs.make("LunarLanderContinuous-v3"), 7);
        assertThat(again).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i)).containsExactly(first.get(i));
            assertThat(fresh.get(i)).containsExactly(first.get(i));
        }
        assertThat(trajectory(env, 8).get(0)).isNotEqualTo(first.get(0));
    }

    private static List<double[]> trajectory(Env env, long seed) {
        Rng actions = Rng.seeded(seed + 1000);
        double[] a = new double[2];
        List<double[]> out = new ArrayList<>();
        StepResult r = env.reset(seed);
        out.add(r.observation().clone());
        while (!(r.terminated() || r.truncated())) {
            ((Box) env.actionSpace()).sample(actions, a);
            r = env.step(a);
            double[] row = java.util.Arrays.copyOf(r.observation(), 9);
            row[8] = r.reward();
            out.add(row);
        }
        return out;
    }

    @Test
    void doingNothingFallsAndCrashesWithMinus100() {
        Env env = Envs.make("LunarLander-v3");
        StepResult r = env.reset(3);
        int steps = 0;
        while (!(r.terminated() || r.truncated())) {
            r = env.step(0);
            steps++;
        }
        assertThat(r.terminated()).isTrue();
        assertThat(r.reward()).isEqualTo(-100.0);
        assertThat(steps).isBetween(30, 200);
    }

    @Test
    void theHeuristicLandsAndComesToRestWithPlus100() {
        Env env = Envs.make("LunarLanderContinuous-v3");
        double[] a = new double[2];
        StepResult r = env.reset(10000);
        double total = 0;
        boolean touched = false;
        while (!(r.terminated() || r.truncated())) {
            LunarLanderEpisodes.heuristicContinuous(r.observation(), a);
            r = env.step(a);
            total += r.reward();
            touched |= r.observation()[6] == 1.0 || r.observation()[7] == 1.0;
        }
        assertThat(touched).as("a leg touched the ground").isTrue();
        assertThat(r.terminated()).isTrue();
        assertThat(r.reward()).isEqualTo(100.0);
        assertThat(total).isGreaterThan(200.0);
    }

    @Test
    void enginesCostFuel() {
        // same seed, same dispersion draws: the first step's reward differs by the engine's fuel cost plus shaping
        Env env = new LunarLander();
        env.reset(1);
        double noop = env.step(0).reward();
        env.reset(1);
        double side = env.step(1).reward();
        assertThat(side).isNotEqualTo(noop);
        Env continuous = new LunarLander(true, -10, false, 15, 1.5);
        continuous.reset(1);
        double off = continuous.step(new double[] {-1, 0}).reward();
        continuous.reset(1);
        double offToo = continuous.step(new double[] {0, 0.5}).reward();
        assertThat(offToo).as("main <= 0 and |lateral| <= 0.5 fire nothing").isEqualTo(off);
    }

    @Test
    void windPushesTheLanderAndDrawsItsOffsetsFromTheEnvGenerator() {
        Env calm = Envs.make("LunarLander-v3");
        Env windy = Envs.make("LunarLander-v3", Map.of("enable_wind", true, "wind_power", 20.0));
        double[] c = calm.reset(5).observation().clone();
        double[] w = windy.reset(5).observation().clone();
        assertThat(w).isNotEqualTo(c);
        double[] w2 = Envs.make("LunarLander-v3", Map.of("enable_wind", true, "wind_power", 20.0)).reset(5).observation();
        assertThat(w2).containsExactly(w);
    }

    @Test
    void badOptionsAndProtocolErrorsAreRefusedClearly() {
        assertThatThrownBy(() -> Envs.make("LunarLander-v3", Map.of("gravity", -12.0)))
                .hasMessageContaining("gravity must be between -12 and 0");
        assertThatThrownBy(() -> Envs.make("LunarLander-v3", Map.of("gravity", 0.0)))
                .hasMessageContaining("gravity");
        assertThatThrownBy(() -> Envs.make("LunarLander-v3", Map.of("hardcore", true)))
                .hasMessageContaining("valid options");
        Env env = Envs.make("LunarLander-v3");
        assertThatThrownBy(() -> env.step(0)).hasMessageContaining("before reset");
        env.reset(0);
        assertThatThrownBy(() -> env.step(4)).hasMessageContaining("not in the action space");
        Env continuous = Envs.make("LunarLanderContinuous-v3");
        continuous.reset(0);
        assertThatThrownBy(() -> continuous.step(new double[] {1.5, 0})).hasMessageContaining("not in the action space");
        assertThatThrownBy(() -> continuous.step(new double[] {Double.NaN, 0})).hasMessageContaining("NaN");
        env.close();
        assertThatThrownBy(() -> env.step(0)).hasMessageContaining("after close");
    }

    /** A checkpoint taken mid-episode continues bit-identically in a freshly made env (replay of the episode). */
    @ParameterizedTest
    @ValueSource(strings = {"LunarLander-v3", "LunarLanderContinuous-v3"})
    void checkpointsResumeMidEpisodeExactly(String id) {
        Env env = Envs.make(id);
        Rng actions = Rng.seeded(99);
        env.reset(21);
        env.reset(); // an unseeded episode: the generator continues from the previous one
        for (int i = 0; i < 40; i++) {
            step(env, actions);
        }
        StateWriter out = new StateWriter();
        env.saveState(out);
        Env restored = Envs.make(id);
        restored.restoreState(new StateReader(out.snapshot()));
        assertThat(restored.lastResult().observation()).containsExactly(env.lastResult().observation());
        Rng actionsCopy = actions.copy();
        for (int i = 0; i < 300; i++) {
            StepResult a = step(env, actions);
            StepResult b = step(restored, actionsCopy);
            assertThat(b.observation()).as("step %d after restore", i).containsExactly(a.observation());
            assertThat(b.reward()).isEqualTo(a.reward());
            assertThat(b.terminated()).isEqualTo(a.terminated());
            if (a.terminated() || a.truncated()) {
                assertThat(restored.reset().observation()).containsExactly(env.reset().observation().clone());
            }
        }
    }

    private static StepResult step(Env env, Rng actions) {
        if (env.actionSpace() instanceof Box box) {
            double[] a = new double[2];
            box.sample(actions, a);
            return env.step(a);
        }
        return env.step(((Discrete) env.actionSpace()).sample(actions));
    }

    @Test
    void aCheckpointBeforeTheFirstResetRestoresAnIdleEnv() {
        Env env = Envs.make("LunarLander-v3");
        StateWriter out = new StateWriter();
        env.saveState(out);
        Env restored = Envs.make("LunarLander-v3");
        restored.restoreState(new StateReader(out.snapshot()));
        assertThatThrownBy(() -> restored.step(0)).hasMessageContaining("before reset");
        assertThat(restored.reset(4).observation()).containsExactly(env.reset(4).observation().clone());
    }

    @Test
    void rendersANonBlank600x400Frame() {
        Env env = Envs.make("LunarLander-v3");
        assertThat(env.supportsRgbRender()).isTrue();
        env.reset(0);
        for (int i = 0; i < 20; i++) {
            env.step(2);
        }
        RgbFrame frame = env.renderRgb();
        assertThat(frame.width()).isEqualTo(600);
        assertThat(frame.height()).isEqualTo(400);
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < 400; y += 2) {
            for (int x = 0; x < 600; x += 2) {
                colours.add(frame.pixel(x, y));
            }
        }
        assertThat(colours).contains(0x000000, 0xFFFFFF, 0x8066E6, 0xCCCC00);
        // the top row is sky (black), the bottom row ground (white)
        assertThat(frame.pixel(300, 0)).isEqualTo(0x000000);
        assertThat(frame.pixel(300, 399)).isEqualTo(0xFFFFFF);
    }

    /** The checker's only complaint is Gymnasium's own: y above its bound 1.5 right after an upward start. */
    @Test
    void envCheckerPassesExceptForGymnasiumsUnclippedHeight() {
        for (String id : new String[] {"LunarLander-v3", "LunarLanderContinuous-v3"}) {
            EnvCheckReport report = EnvChecker.check(Envs.make(id));
            assertThat(report.problems()).as(id).allSatisfy(p -> assertThat(p.message())
                    .contains("element 1 = ").contains("above its high bound 1.5"));
        }
    }
}
