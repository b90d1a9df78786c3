package dev.deepq.algo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.nn.Network;
import dev.deepq.nn.ParameterView;
import dev.deepq.train.ActionBatch;
import dev.deepq.train.StepBatch;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DQN learner against PyTorch over a whole stream of updates, not one step: the same transitions go into
 * {@link Dqn#observe}, and after 60–70 updates (minibatches drawn by the replay buffer, TD targets from the target
 * network, Adam, hard or Polyak target updates, a truncated, a terminated and a live episode) the online and target
 * weights and the losses must match what {@code tools/fixtures/make_dqn_trajectory_fixture.py} computed with
 * PyTorch for the same minibatches. Variants: CleanRL's MSE with hard copies; Huber with global-norm clipping on
 * nearly every update, double DQN and Polyak averaging; a dueling head; 3-step returns with two gradient steps every
 * second env step.
 *
 * <p>A learner that differs anywhere (a target from the wrong observation, a bootstrap through termination, a
 * missed or extra target update, the loss's scale) moves the weights by far more than the float32 rounding the
 * tolerances allow: the same run in deepq and PyTorch agrees to about 1e-6 here.
 */
class DqnTorchTrajectoryTest {
    private static final double ABS = 2e-5;
    private static final double REL = 2e-4;
    private static JsonNode fixture;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = DqnTorchTrajectoryTest.class.getResourceAsStream("/torch/dqn_trajectory_fixture.json")) {
            assertThat(in).as("torch/dqn_trajectory_fixture.json on the test classpath").isNotNull();
            fixture = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void cleanRlMseWithHardTargetCopies() {
        replay("cleanrl_mse_hard");
    }

    @Test
    void huberClippedDoubleDqnWithPolyakTargets() {
        replay("huber_clip_double_polyak");
    }

    @Test
    void duelingHead() {
        replay("dueling");
    }

    @Test
    void threeStepReturnsWithTwoGradientStepsEverySecondStep() {
        replay("nstep3_two_steps_every_two");
    }

    private static void replay(String variant) {
        JsonNode v = fixture.get("variants").get(variant);
        JsonNode c = v.get("config");
        int obsSize = fixture.get("observation_size").asInt();
        int actions = fixture.get("actions").asInt();
        int hidden = fixture.get("hidden").asInt();
        DqnConfig config = DqnConfig.cleanRl()
                .with("learning_rate", c.get("learning_rate").asDouble())
                .with("gamma", c.get("gamma").asDouble())
                .with("batch_size", c.get("batch_size").asInt())
                .with("learning_starts", c.get("learning_starts").asLong())
                .with("target_network_frequency", c.get("target_network_frequency").asLong())
                .with("tau", c.get("tau").asDouble())
                .with("loss", c.get("loss").asText())
                .with("max_grad_norm", c.get("max_grad_norm").asDouble())
                .with("double_q", c.get("double_q").asBoolean())
                .with("dueling", c.get("dueling").asBoolean())
                .with("hidden", "[" + hidden + ", " + hidden + "]")
                .with("n_step", c.get("n_step").asInt())
                .with("train_frequency", c.get("train_frequency").asInt())
                .with("gradient_steps", c.get("gradient_steps").asInt())
                .with("buffer_size", 1000)
                .withTotalSteps(1000);
        Box observations = Box.float32(filled(obsSize, -10), filled(obsSize, 10));
        Discrete actionSpace = new Discrete(actions);
        Dqn dqn = new Dqn(observations, actionSpace, config, c.get("seed").asLong());
        setParameters(dqn.qNetwork(), v.get("initial"), variant);
        dqn.targetNetwork().copyParametersFrom(dqn.qNetwork());

        StepBatch step = new StepBatch(1, obsSize, new ActionBatch(actionSpace, 1));
        Map<Integer, Double> losses = new LinkedHashMap<>();
        long stepCount = 0;
        for (JsonNode t : fixture.get("transitions")) {
            copy(t.get("obs"), step.observations());
            copy(t.get("next_obs"), step.nextObservations());
            step.actions().discrete()[0] = t.get("action").asInt();
            step.rewards()[0] = t.get("reward").asDouble();
            step.terminated()[0] = t.get("terminated").asBoolean();
            step.truncated()[0] = t.get("truncated").asBoolean();
            long updatesBefore = dqn.gradientUpdates();
            dqn.observe(step, ++stepCount);
            if (dqn.gradientUpdates() > updatesBefore) {
                // The metrics hold the round's last gradient step's loss; the fixture lists every step's.
                losses.put((int) dqn.gradientUpdates() - 1, dqn.metrics().get("loss"));
            }
        }

        double[] expectedLosses = doubles(v.get("losses"));
        assertThat(dqn.gradientUpdates()).as(variant + ": gradient steps made").isEqualTo(expectedLosses.length);
        for (Map.Entry<Integer, Double> loss : losses.entrySet()) {
            int i = loss.getKey();
            assertClose(variant + " loss of update " + (i + 1), loss.getValue(), expectedLosses[i]);
        }
        assertParameters(dqn.qNetwork(), v.get("final"), variant + " online network");
        assertParameters(dqn.targetNetwork(), v.get("final_target"), variant + " target network");
    }

    private static void setParameters(Network net, JsonNode tensors, String what) {
        float[] params = net.parameters();
        int set = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ParameterView view = net.parameter(e.getKey());
            double[] values = doubles(e.getValue());
            assertThat(values).as(what + " " + e.getKey() + " size").hasSize(view.size());
            for (int i = 0; i < values.length; i++) {
                params[view.offset() + i] = (float) values[i];
            }
            set += values.length;
        }
        assertThat(set).as(what + ": every parameter set").isEqualTo(net.parameterCount());
    }

    private static void assertParameters(Network net, JsonNode tensors, String what) {
        float[] params = net.parameters();
        for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ParameterView view = net.parameter(e.getKey());
            double[] expected = doubles(e.getValue());
            for (int i = 0; i < expected.length; i++) {
                assertClose(what + " " + e.getKey() + "[" + i + "]", params[view.offset() + i], expected[i]);
            }
        }
    }

    private static void assertClose(String what, double actual, double expected) {
        double tolerance = ABS + REL * Math.abs(expected);
        assertThat(Math.abs(actual - expected)).as(what + ": deepq " + actual + ", PyTorch " + expected)
                .isLessThanOrEqualTo(tolerance);
    }

    private static double[] filled(int n, double value) {
        double[] a = new double[n];
        Arrays.fill(a, value);
        return a;
    }

    private static void copy(JsonNode values, double[] to) {
        for (int i = 0; i < values.size(); i++) {
            to[i] = values.get(i).asDouble();
        }
    }

    private static double[] doubles(JsonNode values) {
        double[] out = new double[values.size()];
        copy(values, out);
        return out;
    }
}
