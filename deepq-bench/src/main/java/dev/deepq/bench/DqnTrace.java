package dev.deepq.bench;

import dev.deepq.algo.Dqn;
import dev.deepq.algo.DqnConfig;
import dev.deepq.env.vector.VectorEnv;
import dev.deepq.env.vector.VectorEnvs;
import dev.deepq.nn.Network;
import dev.deepq.nn.ParameterView;
import dev.deepq.random.Rng;
import dev.deepq.replay.Batch;
import dev.deepq.train.ActionBatch;
import dev.deepq.train.Agent;
import dev.deepq.train.StepBatch;
import dev.deepq.train.Trainer;
import dev.deepq.train.TrainingMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Records everything a CleanRL-config DQN run learns from, so that {@code reference/dqn_trace_replay.py} can redo
 * its updates in PyTorch on exactly the same data and say where (if anywhere) the two learners part.
 *
 * <p>Writes to DIR, all little-endian: {@code layout.txt} (parameter names, offsets, shapes), {@code init.f32}
 * (initial weights), {@code transitions.f32} (per env step: observation, action, reward, terminated, truncated, next
 * or final observation), {@code batches.f32} (per gradient update: the minibatch's observations, actions, rewards,
 * discounts and bootstrap observations), {@code updates.i64} (the 0-based env step of each update) and
 * {@code weights.f32} (the online weights after every K-th update).
 *
 * <p>The minibatches are redrawn here from a copy of the agent's replay generator taken before the step, from the
 * same buffer, and the copy must end in the agent's state: so they are the batches the agent trained on.
 *
 * <p>Usage: {@code DqnTrace ENV SEED STEPS EVERY_K DIR} (one env, {@link DqnConfig#cleanRl()}).
 */
public final class DqnTrace {
    private DqnTrace() {}

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("DqnTrace: " + e.getMessage());
            System.err.println("usage: DqnTrace ENV SEED STEPS EVERY_K DIR");
            System.exit(2);
            return;
        }
        long updates = record(options.envId(), options.seed(), options.steps(), options.every(), options.dir());
        System.out.printf(Locale.ROOT, "%s seed %d: %d steps, %d gradient updates recorded in %s%n", options.envId(),
                options.seed(), options.steps(), updates, options.dir());
    }

    /** The command line, checked. */
    record Options(String envId, long seed, long steps, int every, Path dir) {
        static Options parse(String[] args) {
            if (args.length != 5) {
                throw new IllegalArgumentException("expected 5 arguments, got " + args.length);
            }
            long steps = number("STEPS", args[2]);
            long every = number("EVERY_K", args[3]);
            if (steps <= 0) {
                throw new IllegalArgumentException("STEPS must be a positive number of env steps, got " + args[2]);
            }
            if (every <= 0 || every > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("EVERY_K must be a positive number of updates, got " + args[3]);
            }
            return new Options(args[0], number("SEED", args[1]), steps, (int) every, Path.of(args[4]));
        }

        private static long number(String name, String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
            }
        }
    }

    /** Trains CleanRL's DQN on {@code envId} for {@code steps} env steps, writing the trace to {@code dir}. */
    static long record(String envId, long seed, long steps, int every, Path dir) throws IOException {
        DqnConfig config = DqnConfig.cleanRl();
        VectorEnv env = VectorEnvs.make(envId, Map.of(), 1, 1);
        Dqn dqn = new Dqn(env.singleObservationSpace(), env.singleActionSpace(), config, seed);
        Files.createDirectories(dir);
        Network q = dqn.qNetwork();
        try (PrintWriter layout = new PrintWriter(dir.resolve("layout.txt").toFile(), "UTF-8")) {
            for (ParameterView v : q.parameterViews()) {
                layout.println(v.name() + " " + v.offset() + " " + Arrays.toString(v.shape()).replace(" ", ""));
            }
        }
        try (Recorder recorder = new Recorder(dqn, dir, every)) {
            recorder.writeFloats(recorder.init, q.parameters(), q.parameterCount());
            new Trainer(env, recorder, steps, seed).run();
        }
        return dqn.gradientUpdates();
    }

    /** Passes everything to the DQN agent and writes down what it saw and what it trained on. */
    private static final class Recorder implements Agent, AutoCloseable {
        private final Dqn dqn;
        private final int every;
        private final FileChannel init;
        private final FileChannel transitions;
        private final FileChannel batches;
        private final FileChannel updates;
        private final FileChannel weights;
        private final Batch batch;
        private final float[] transition;
        private final float[] batchRow;
        private final ByteBuffer bytes;
        private Rng replayBefore;

        Recorder(Dqn dqn, Path dir, int every) throws IOException {
            this.dqn = dqn;
            this.every = every;
            init = create(dir.resolve("init.f32"));
            transitions = create(dir.resolve("transitions.f32"));
            batches = create(dir.resolve("batches.f32"));
            updates = create(dir.resolve("updates.i64"));
            weights = create(dir.resolve("weights.f32"));
            int b = dqn.config().batchSize();
            int obs = dqn.observationSpace().size();
            batch = dqn.replay().newBatch(b);
            transition = new float[2 * obs + 4];
            batchRow = new float[b * (2 * obs + 3)];
            int largest = Math.max(Math.max(transition.length, batchRow.length), dqn.qNetwork().parameterCount());
            bytes = ByteBuffer.allocate(largest * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            replayBefore = dqn.replayRng().copy();
        }

        @Override
        public void act(VectorEnv env, long step, ActionBatch out) {
            dqn.act(env, step, out);
        }

        @Override
        public void predict(double[] observation, boolean[] actionMask, double[] actionOut) {
            dqn.predict(observation, actionMask, actionOut);
        }

        @Override
        public TrainingMetrics metrics() {
            return dqn.metrics();
        }

        @Override
        public void observe(StepBatch step, long stepCount) {
            try {
                recordTransition(step);
                long updatesBefore = dqn.gradientUpdates();
                dqn.observe(step, stepCount);
                long made = dqn.gradientUpdates() - updatesBefore;
                if (made > 1) {
                    throw new IllegalStateException("DqnTrace records one gradient step per env step, got " + made);
                }
                if (made == 1) {
                    recordBatch(stepCount - 1);
                    if (dqn.gradientUpdates() % every == 0) {
                        writeFloats(weights, dqn.qNetwork().parameters(), dqn.qNetwork().parameterCount());
                    }
                }
                replayBefore = dqn.replayRng().copy();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void recordTransition(StepBatch step) throws IOException {
            int obs = step.observationSize();
            int k = 0;
            for (int i = 0; i < obs; i++) {
                transition[k++] = (float) step.observations()[i];
            }
            transition[k++] = step.actions().discrete()[0];
            transition[k++] = (float) step.rewards()[0];
            transition[k++] = step.terminated()[0] ? 1 : 0;
            transition[k++] = step.truncated()[0] ? 1 : 0;
            for (int i = 0; i < obs; i++) {
                transition[k++] = (float) step.nextObservations()[i];
            }
            writeFloats(transitions, transition, k);
        }

        private void recordBatch(long step) throws IOException {
            int b = dqn.config().batchSize();
            int obs = dqn.observationSpace().size();
            dqn.replay().sample(b, replayBefore, batch);
            if (!Arrays.equals(replayBefore.state(), dqn.replayRng().state())) {
                throw new IllegalStateException("the redrawn minibatch is not the one the agent drew at step " + step);
            }
            int k = 0;
            for (int i = 0; i < b * obs; i++) {
                batchRow[k++] = batch.observations()[i];
            }
            for (int i = 0; i < b; i++) {
                batchRow[k++] = batch.discreteActions()[i];
            }
            System.arraycopy(batch.rewards(), 0, batchRow, k, b);
            k += b;
            System.arraycopy(batch.discounts(), 0, batchRow, k, b);
            k += b;
            System.arraycopy(batch.nextObservations(), 0, batchRow, k, b * obs);
            k += b * obs;
            writeFloats(batches, batchRow, k);
            bytes.clear().putLong(step).flip();
            drain(updates);
        }

        void writeFloats(FileChannel channel, float[] values, int n) throws IOException {
            bytes.clear();
            bytes.asFloatBuffer().put(values, 0, n);
            bytes.limit(n * Float.BYTES);
            drain(channel);
        }

        private void drain(FileChannel channel) throws IOException {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        private static FileChannel create(Path path) throws IOException {
            return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }

        @Override
        public void close() throws IOException {
            for (FileChannel c : new FileChannel[] {init, transitions, batches, updates, weights}) {
                c.close();
            }
        }
    }
}
