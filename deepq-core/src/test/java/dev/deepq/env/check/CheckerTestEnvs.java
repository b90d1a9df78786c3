package dev.deepq.env.check;

import dev.deepq.env.Env;
import dev.deepq.env.RgbFrame;
import dev.deepq.env.Wrapper;
import dev.deepq.env.spaces.Box;
import dev.deepq.env.spaces.Discrete;
import dev.deepq.random.Rng;

/**
 * Environments for the checker's tests: one correct env and, for every kind of failure the checker must find, a
 * deliberately broken variant. Public and static so that {@link EnvChecker#checkClass} can load them by name.
 */
public final class CheckerTestEnvs {
    private CheckerTestEnvs() {}

    /**
     * A correct env: a cart on a line pushed left, not at all or right (Discrete(3)), with a little noise from
     * {@link #rng()}. Observation (x, v) in a float32 Box [-10, 10]^2; the episode terminates when |x| > 4. Renders
     * text and fixed-size RGB frames.
     */
    public static class GoodEnv extends Env {
        protected double x;
        protected double v;
        protected int t;

        public GoodEnv() {
            this(new Box(-10, 10, new int[] {2}, dev.deepq.env.spaces.DType.FLOAT32));
        }

        protected GoodEnv(Box observationSpace) {
            super(observationSpace, new Discrete(3));
        }

        protected GoodEnv(Box observationSpace, Discrete actionSpace, boolean masked) {
            super(observationSpace, actionSpace, masked);
        }

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            x = rng().uniform(-1, 1);
            v = rng().uniform(-0.1, 0.1);
            t = 0;
            writeObservation();
        }

        @Override
        protected void stepEnv(int action) {
            v += (action - 1) * 0.1 + 0.05 * (rng().random() - 0.5);
            x += v;
            t++;
            writeObservation();
            result.set(1 - 0.1 * Math.abs(x), Math.abs(x) > 4, false);
        }

        protected void writeObservation() {
            observation[0] = (float) x;
            observation[1] = (float) v;
        }

        @Override
        public boolean supportsTextRender() {
            return true;
        }

        @Override
        public String renderText() {
            return String.format("x=%.3f v=%.3f", x, v);
        }

        @Override
        public boolean supportsRgbRender() {
            return true;
        }

        @Override
        public RgbFrame renderRgb() {
            return frame(16, 4);
        }

        protected RgbFrame frame(int width, int height) {
            byte[] rgb = new byte[width * height * 3];
            int column = (int) Math.max(0, Math.min(width - 1, (x + 4) / 8 * width));
            rgb[column * 3] = (byte) 255;
            return new RgbFrame(width, height, rgb);
        }
    }

    /** Pushes the velocity element past the Box's high bound of 10. */
    public static final class ObservationOutsideSpace extends GoodEnv {
        @Override
        protected void writeObservation() {
            super.writeObservation();
            if (t == 2) {
                observation[1] = 20;
            }
        }
    }

    /** Produces a NaN in observation element 0 on the third step (0/0). */
    public static final class NaNObservation extends GoodEnv {
        @Override
        protected void writeObservation() {
            super.writeObservation();
            if (t == 3) {
                double zero = 0;
                observation[0] = zero / zero;
            }
        }
    }

    /** Pays an infinite reward on the second step. */
    public static final class InfiniteReward extends GoodEnv {
        @Override
        protected void stepEnv(int action) {
            super.stepEnv(action);
            if (t == 2) {
                result.setReward(Double.POSITIVE_INFINITY);
            }
        }
    }

    /** Draws its initial state from a counter of resets, not from rng(): two reset(seed) calls start differently. */
    public static final class NonDeterministicReset extends GoodEnv {
        private int resets;

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            super.resetEnv(seeded, seed);
            x = 0.01 * (resets++ % 50);
            writeObservation();
        }
    }

    /** Draws its noise from a generator of its own, seeded once: the seed passed to reset has no effect on it. */
    public static final class OwnGenerator extends GoodEnv {
        private final Rng own = Rng.seeded(99);

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            x = own.uniform(-1, 1);
            v = 0;
            t = 0;
            writeObservation();
        }
    }

    /** Ignores the seed: restarts a fixed generator at every reset, so every seed gives the same run. */
    public static final class SeedIgnoring extends GoodEnv {
        private Rng fixed;

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            fixed = Rng.seeded(7);
            x = fixed.uniform(-1, 1);
            v = 0;
            t = 0;
            writeObservation();
        }

        @Override
        protected void stepEnv(int action) {
            v += (action - 1) * 0.1 + 0.05 * (fixed.random() - 0.5);
            x += v;
            t++;
            writeObservation();
            result.set(1, Math.abs(x) > 4, false);
        }
    }

    /** Reseeds its generator on every unseeded reset, so reset() restarts where reset(seed) started. */
    public static final class UnseededResetRestarts extends GoodEnv {
        private long lastSeed;

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            if (seeded) {
                lastSeed = seed;
            } else {
                setRng(Rng.seeded(lastSeed));
            }
            super.resetEnv(seeded, seed);
        }
    }

    /** Declares a 2-element observation space but writes 3 elements. */
    public static final class ObservationTooLong extends GoodEnv {
        @Override
        protected void writeObservation() {
            super.writeObservation();
            observation[2] = t;
        }
    }

    /** Declares a 3-element observation space but writes only 2 elements. */
    public static final class ObservationTooShort extends GoodEnv {
        public ObservationTooShort() {
            super(new Box(-10, 10, new int[] {3}, dev.deepq.env.spaces.DType.FLOAT32));
        }
    }

    /** Never ends an episode: the checker must stop on its step budget. */
    public static final class NeverEnds extends GoodEnv {
        @Override
        protected void stepEnv(int action) {
            super.stepEnv(action);
            x = Math.max(-3, Math.min(3, x));
            writeObservation();
            result.set(0, false, false);
        }
    }

    /** A correct env with an action mask over Discrete(4): action 3 is only valid on the right half. */
    public static class Masked extends GoodEnv {
        public Masked() {
            super(new Box(-10, 10, new int[] {2}, dev.deepq.env.spaces.DType.FLOAT32), new Discrete(4), true);
        }

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            super.resetEnv(seeded, seed);
            writeMask();
        }

        @Override
        protected void stepEnv(int action) {
            super.stepEnv(Math.min(action, 2));
            writeMask();
        }

        protected void writeMask() {
            actionMask[0] = true;
            actionMask[1] = true;
            actionMask[2] = true;
            actionMask[3] = x > 0;
        }
    }

    /** A mask that allows nothing once the episode has run two steps. */
    public static final class MaskAllFalse extends Masked {
        @Override
        protected void writeMask() {
            super.writeMask();
            if (t >= 2) {
                java.util.Arrays.fill(actionMask, false);
            }
        }
    }

    /** A wrapper that shrinks the action space to Discrete(3) but passes the inner 4-entry mask through. */
    public static final class ShrinkActions extends Wrapper {
        public ShrinkActions(Env inner) {
            super(inner, inner.observationSpace(), new Discrete(3));
        }
    }

    /** renderText throws although the env says it supports text rendering. */
    public static final class TextRenderThrows extends GoodEnv {
        @Override
        public String renderText() {
            if (t > 0) {
                throw new IllegalStateException("no font loaded");
            }
            return super.renderText();
        }
    }

    /** RGB frames whose height changes with the state. */
    public static final class RgbSizeChanges extends GoodEnv {
        @Override
        public RgbFrame renderRgb() {
            return frame(16, 4 + t);
        }
    }

    /** Declares a Box action space but only implements Discrete actions. */
    public static final class WrongActionOverload extends Env {
        public WrongActionOverload() {
            super(new Box(-1, 1, new int[] {1}, dev.deepq.env.spaces.DType.FLOAT32),
                    new Box(-1, 1, new int[] {1}, dev.deepq.env.spaces.DType.FLOAT32));
        }

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            observation[0] = (float) rng().uniform(-1, 1);
        }

        @Override
        protected void stepEnv(int action) {
            result.set(0, true, false);
        }
    }

    /** A correct env with an unbounded Box action space (a warning: agents cannot scale actions to it). */
    public static final class UnboundedActions extends Env {
        public UnboundedActions() {
            super(new Box(-1, 1, new int[] {1}, dev.deepq.env.spaces.DType.FLOAT32),
                    new Box(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {2},
                            dev.deepq.env.spaces.DType.FLOAT32));
        }

        private int t;

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            observation[0] = (float) rng().uniform(-1, 1);
            t = 0;
        }

        @Override
        protected void stepEnv(double[] action) {
            observation[0] = (float) Math.tanh(observation[0] + 0.1 * action[0] + 0.1 * rng().random());
            result.set(-Math.abs(action[1]), ++t >= 10, false);
        }
    }

    /** reset throws. */
    public static final class ResetThrows extends GoodEnv {
        @Override
        protected void resetEnv(boolean seeded, long seed) {
            throw new IllegalStateException("level file missing");
        }
    }

    // ---- for checkClass ----

    /** Not an env at all. */
    public static final class NotAnEnv {
        public NotAnEnv() {}
    }

    /** An env without a no-argument constructor. */
    public static final class NeedsArguments extends GoodEnv {
        public NeedsArguments(int size, double friction) {
            if (size < 0 || friction < 0) {
                throw new IllegalArgumentException("negative");
            }
        }
    }

    /** An env whose constructor throws. */
    public static final class ConstructorThrows extends GoodEnv {
        public ConstructorThrows() {
            throw new IllegalArgumentException("map file 'level1.txt' not found");
        }
    }

    /** An env that cannot be instantiated because it is abstract. */
    public abstract static class AbstractEnv extends GoodEnv {
        protected AbstractEnv() {}
    }

    /** An env that is not public. */
    static final class HiddenEnv extends GoodEnv {
        public HiddenEnv() {}
    }

    /** An env whose static initialiser fails. */
    public static final class BrokenStaticInit extends GoodEnv {
        static final int SIZE = Integer.parseInt("not a number");

        public BrokenStaticInit() {}
    }

    /** An inner (non-static) env class. */
    public final class InnerEnv extends GoodEnv {
        public InnerEnv() {}
    }
}
