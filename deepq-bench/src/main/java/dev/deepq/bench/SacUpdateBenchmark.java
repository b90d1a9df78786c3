package dev.deepq.bench;

import dev.deepq.algo.Sac;
import dev.deepq.algo.SacConfig;
import dev.deepq.algo.SacSteps;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.nn.Kernels;
import dev.deepq.nn.Mlp;
import dev.deepq.nn.Network;
import dev.deepq.nn.optim.Adam;
import dev.deepq.random.Rng;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one actor-critic gradient step on Pendulum-v1 shapes with RL Zoo's SAC settings (two 256-256 critics,
 * a 256-256 actor, batch 256):
 * <ul>
 *   <li>{@code sac}: one {@code Sac} training step (alpha, critic, actor and target updates) on a replay filled with
 *       10,000 Pendulum transitions of random actions.</li>
 *   <li>{@code ensemble}: the critic regression step of an N = 10 ensemble of 4-256-256-1 critics on one batch, as
 *       REDQ runs it: every critic's forward pass, the squared error to shared targets, backward, Adam.</li>
 * </ul>
 * {@link #sacFlops} and {@link #ensembleFlops} count the matrix products' floating-point operations (a multiply-add
 * is 2; bias, activations, losses and Adam are left out, a few percent). Run: {@code java -jar
 * deepq-bench/target/benchmarks.jar SacUpdateBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SacUpdateBenchmark {
    static final int OBS = 3;
    static final int ACT = 1;
    static final int HIDDEN = 256;
    static final int BATCH = 256;

    /** A SAC agent with RL Zoo's Pendulum settings and a replay of 10,000 random-action transitions. */
    @State(Scope.Thread)
    public static class SacState {
        Sac sac;

        @Setup(Level.Trial)
        public void setUp() {
            sac = new Sac(Envs.make("Pendulum-v1").observationSpace(), Envs.make("Pendulum-v1").actionSpace(),
                    SacConfig.rlZooPendulum(), 1);
            fillReplay(sac, 10_000);
            System.out.printf(Locale.ROOT, "%nSAC update: %.1f MFLOP as Sac runs it (input-only critic backward in the"
                    + " actor step, the actor's forward pass on s reused; %.1f without those)%n",
                    sacFlops(true, true) / 1e6, sacFlops(false, false) / 1e6);
        }
    }

    /** N independent 4-256-256-1 critics regressing toward shared targets. */
    @State(Scope.Thread)
    public static class EnsembleState {
        @Param({"10"})
        public int critics;

        /** {@code separate}: N networks in a loop; {@code batched}: one {@code Mlp.ensemble} network. */
        @Param({"separate", "batched"})
        public String layout;

        Network[] q;
        Adam[] adam;
        Network ensemble;
        Adam ensembleAdam;
        float[] ensembleGradient;
        float[] input;
        float[] targets;
        float[] gradient;

        @Setup(Level.Trial)
        public void setUp() {
            Rng rng = Rng.seeded(7);
            if (layout.equals("batched")) {
                ensemble = Network.create(Mlp.builder(OBS + ACT).hidden(HIDDEN, HIDDEN).ensemble(critics, 1), BATCH)
                        .initialize(rng);
                ensembleAdam = new Adam(ensemble.parameterCount(), 3e-4, 0.9, 0.999, 1e-8, 0, false,
                        ensemble.kernels());
                ensembleGradient = new float[BATCH * critics];
            } else {
                q = new Network[critics];
                adam = new Adam[critics];
                for (int i = 0; i < critics; i++) {
                    q[i] = Network.create(Mlp.builder(OBS + ACT).hidden(HIDDEN, HIDDEN).output(1), BATCH)
                            .initialize(rng);
                    adam[i] = new Adam(q[i].parameterCount(), 3e-4, 0.9, 0.999, 1e-8, 0, false, q[i].kernels());
                }
            }
            input = new float[BATCH * (OBS + ACT)];
            targets = new float[BATCH];
            gradient = new float[BATCH];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) rng.uniform(-1, 1);
            }
            for (int i = 0; i < BATCH; i++) {
                targets[i] = (float) rng.uniform(-10, 0);
            }
            System.out.printf(Locale.ROOT, "%nensemble of %d critics: %.1f MFLOP per regression step%n", critics,
                    ensembleFlops(critics) / 1e6);
        }
    }

    /** One SAC gradient step. */
    @Benchmark
    public double sac(SacState s) {
        SacSteps.trainStep(s.sac);
        return s.sac.metrics().get("critic_loss");
    }

    /** One regression step of every critic of the ensemble on the same batch; returns the summed loss. */
    @Benchmark
    public double ensemble(EnsembleState s) {
        if (s.ensemble != null) {
            return batchedEnsemble(s);
        }
        double loss = 0;
        for (int i = 0; i < s.critics; i++) {
            Network q = s.q[i];
            float[] values = q.forward(s.input, BATCH);
            for (int r = 0; r < BATCH; r++) {
                float d = values[r] - s.targets[r];
                loss += d * d;
                s.gradient[r] = 2 * d / BATCH;
            }
            q.zeroGradients();
            q.backward(s.gradient);
            s.adam[i].step(q.parameters(), q.gradients());
        }
        return loss;
    }

    /** The same step on the N critics as one network (the same arithmetic, member by member bit-identical). */
    private static double batchedEnsemble(EnsembleState s) {
        int n = s.critics;
        float[] values = s.ensemble.forward(s.input, BATCH);
        double loss = 0;
        for (int r = 0; r < BATCH; r++) {
            for (int i = 0; i < n; i++) {
                float d = values[r * n + i] - s.targets[r];
                loss += d * d;
                s.ensembleGradient[r * n + i] = 2 * d / BATCH;
            }
        }
        s.ensemble.zeroGradients();
        s.ensemble.backward(s.ensembleGradient);
        s.ensembleAdam.step(s.ensemble.parameters(), s.ensemble.gradients());
        return loss;
    }

    /** Adds {@code n} Pendulum-v1 transitions of uniformly random actions (seed 0) to the agent's replay. */
    static void fillReplay(Sac sac, int n) {
        Env env = Envs.make("Pendulum-v1");
        Rng rng = Rng.seeded(0);
        double[] obs = env.reset(0).observation().clone();
        double[] action = new double[ACT];
        double[] policyAction = new double[ACT];
        for (int i = 0; i < n; i++) {
            policyAction[0] = rng.uniform(-1, 1);
            action[0] = 2 * policyAction[0];
            StepResult r = env.step(action);
            sac.replay().add(0, obs, policyAction, r.reward(), r.terminated(), r.truncated(), r.observation());
            if (r.terminated() || r.truncated()) {
                System.arraycopy(env.reset().observation(), 0, obs, 0, OBS);
            } else {
                System.arraycopy(r.observation(), 0, obs, 0, OBS);
            }
        }
    }

    /** Multiply-add flops of a forward pass of an MLP with these layer sizes on {@link #BATCH} samples. */
    static double forward(int... sizes) {
        double w = 0;
        for (int i = 0; i + 1 < sizes.length; i++) {
            w += (double) sizes[i] * sizes[i + 1];
        }
        return 2.0 * BATCH * w;
    }

    /** The same for the input gradients of every layer but the first. */
    static double inputGradientAfterFirst(int... sizes) {
        return forward(sizes) - 2.0 * BATCH * sizes[0] * sizes[1];
    }

    /**
     * The flops of one SAC step as {@code Sac.trainStep} runs it (policy and target frequency 1): three actor forward
     * passes (s for alpha, s', s again in the actor step, unless {@code reuseForward}), two target-critic passes, two
     * critic regression steps (forward, weight gradients, input gradients of every layer since the critics have input
     * gradients on), two critic forward and backward passes for dQ/da (with weight gradients unless
     * {@code inputOnly}), and the actor's backward pass (weight gradients, input gradients after the first layer).
     */
    static double sacFlops(boolean inputOnly, boolean reuseForward) {
        int[] actor = {OBS, HIDDEN, HIDDEN, 2 * ACT};
        int[] critic = {OBS + ACT, HIDDEN, HIDDEN, 1};
        double fa = forward(actor);
        double fc = forward(critic);
        double criticSteps = 2 * (3 * fc);
        double actorStep = 2 * fc + 2 * ((inputOnly ? 0 : fc) + fc) + fa + inputGradientAfterFirst(actor);
        return (reuseForward ? 2 : 3) * fa + 2 * fc + criticSteps + actorStep;
    }

    /** The flops of one regression step of N critics: forward, weight gradients, input gradients after layer 1. */
    static double ensembleFlops(int n) {
        int[] critic = {OBS + ACT, HIDDEN, HIDDEN, 1};
        return n * (2 * forward(critic) + inputGradientAfterFirst(critic));
    }

    /** Prints the flop counts. */
    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "sac %.1f MFLOP (input-only critic backward %.1f, and forward reuse %.1f),"
                + " ensemble(10) %.1f MFLOP%n", sacFlops(false, false) / 1e6, sacFlops(true, false) / 1e6,
                sacFlops(true, true) / 1e6, ensembleFlops(10) / 1e6);
        System.out.println(Kernels.get().name());
    }
}
