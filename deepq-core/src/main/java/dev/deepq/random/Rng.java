package dev.deepq.random;

/**
 * A NumPy-compatible random generator: PCG64 (XSL-RR, 128-bit LCG) seeded through {@link SeedSequence},
 * with the {@code numpy.random.Generator} methods deepq needs, each drawing exactly the bits NumPy draws.
 *
 * <p>{@code Rng.seeded(s)} produces the same stream as {@code numpy.random.default_rng(s)}, which is how
 * Gymnasium seeds environments and spaces. Not thread-safe: give every thread (and every env) its own.
 * The full state is six longs ({@link #state()} / {@link #restore(long[])}), so checkpoints can save it.
 */
public final class Rng {
    private static final long MULT_HI = 0x2360ED051FC65DA4L;
    private static final long MULT_LO = 0x4385DF649FCCF645L;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    private long stateHi;
    private long stateLo;
    private long incHi;
    private long incLo;
    /** NumPy's PCG64 hands out 64-bit draws in two 32-bit halves; the unused high half waits here. */
    private boolean hasUint32;
    private int uinteger;

    private Rng() {}

    /** The generator of {@code numpy.random.default_rng(seed)}. */
    public static Rng seeded(long seed) {
        return fromSeedSequence(new SeedSequence(seed));
    }

    /** {@code Generator(PCG64(seedSequence))}. */
    public static Rng fromSeedSequence(SeedSequence seedSequence) {
        long[] words = seedSequence.generateState64(4);
        Rng rng = new Rng();
        rng.seed(words[0], words[1], words[2], words[3]);
        return rng;
    }

    /**
     * An independent stream derived from a run seed, for one component of a run (the agent's exploration, a network's
     * initialization, replay sampling...): {@code SeedSequence(seed, spawn_key=key)}, as NumPy's {@code spawn}.
     * Different keys give statistically independent streams, so adding a component never shifts another's draws.
     */
    public static Rng derived(long seed, int... key) {
        return fromSeedSequence(new SeedSequence(seed, key));
    }

    /** A generator restored from {@link #state()}. */
    public static Rng fromState(long[] state) {
        Rng rng = new Rng();
        rng.restore(state);
        return rng;
    }

    /** pcg64_srandom_r: initstate = (s0 << 64 | s1), initseq = (s2 << 64 | s3). */
    private void seed(long initStateHi, long initStateLo, long initSeqHi, long initSeqLo) {
        incHi = (initSeqHi << 1) | (initSeqLo >>> 63);
        incLo = (initSeqLo << 1) | 1L;
        stateHi = 0;
        stateLo = 0;
        step();
        long lo = stateLo + initStateLo;
        long carry = Long.compareUnsigned(lo, stateLo) < 0 ? 1 : 0;
        stateHi = stateHi + initStateHi + carry;
        stateLo = lo;
        step();
        hasUint32 = false;
        uinteger = 0;
    }

    /** state = state * MULT + inc (mod 2^128). */
    private void step() {
        long lo = stateLo * MULT_LO;
        long hi = Math.unsignedMultiplyHigh(stateLo, MULT_LO) + stateHi * MULT_LO + stateLo * MULT_HI;
        long newLo = lo + incLo;
        long carry = Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0;
        stateHi = hi + incHi + carry;
        stateLo = newLo;
    }

    /** The next raw 64-bit draw (NumPy's {@code next_uint64}). */
    public long nextLong() {
        step();
        return Long.rotateRight(stateHi ^ stateLo, (int) (stateHi >>> 58));
    }

    /** The next raw 32-bit draw (NumPy's {@code next_uint32}: the low half of a 64-bit draw, then its high half). */
    public int nextInt32() {
        if (hasUint32) {
            hasUint32 = false;
            return uinteger;
        }
        long next = nextLong();
        hasUint32 = true;
        uinteger = (int) (next >>> 32);
        return (int) next;
    }

    /** {@code Generator.random()}: uniform in [0, 1) with 53 random bits. */
    public double random() {
        return (nextLong() >>> 11) * TWO_POW_MINUS_53;
    }

    /**
     * {@code Generator.integers(n)} (int64 result): uniform in [0, n), drawn exactly as NumPy 1.24 draws it. Ranges
     * that fit in 32 bits use Lemire's method on 32-bit draws ({@link #nextInt32()}, so two draws share one 64-bit
     * output), larger ones Lemire's method on 64-bit draws. NumPy's vector form {@code integers(0, n, size=k)} keeps
     * the 32-bit half in the generator, not in the call, so it draws exactly what k calls of this method draw.
     */
    public long integers(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("integers(n) needs n > 0, got " + n);
        }
        return bounded(n - 1);
    }

    /** {@code Generator.integers(low, high)}: uniform in [low, high), as {@code low + integers(high - low)}. */
    public long integers(long low, long high) {
        if (high <= low) {
            throw new IllegalArgumentException("integers(low, high) needs low < high, got low=" + low + ", high=" + high);
        }
        // high - low - 1 may exceed Long.MAX_VALUE; as an unsigned 64-bit number it is still exact.
        return low + bounded(high - low - 1);
    }

    /** A uniform draw in [0, range] (range treated as unsigned), NumPy's {@code random_bounded_uint64_fill} for one value. */
    private long bounded(long range) {
        if (range == 0) {
            return 0;
        }
        if (Long.compareUnsigned(range, 0xFFFF_FFFFL) <= 0) {
            if (range == 0xFFFF_FFFFL) {
                return nextInt32() & 0xFFFF_FFFFL;
            }
            return boundedLemire32(range);
        }
        if (range == -1L) {
            return nextLong();
        }
        return boundedLemire64(range);
    }

    private long boundedLemire32(long range) {
        long rangeExcl = range + 1;
        long m = (nextInt32() & 0xFFFF_FFFFL) * rangeExcl;
        long leftover = m & 0xFFFF_FFFFL;
        if (leftover < rangeExcl) {
            long threshold = (0xFFFF_FFFFL - range) % rangeExcl;
            while (leftover < threshold) {
                m = (nextInt32() & 0xFFFF_FFFFL) * rangeExcl;
                leftover = m & 0xFFFF_FFFFL;
            }
        }
        return m >>> 32;
    }

    private long boundedLemire64(long range) {
        long rangeExcl = range + 1;
        long x = nextLong();
        long lo = x * rangeExcl;
        long hi = Math.unsignedMultiplyHigh(x, rangeExcl);
        if (Long.compareUnsigned(lo, rangeExcl) < 0) {
            long threshold = Long.remainderUnsigned(-rangeExcl, rangeExcl);
            while (Long.compareUnsigned(lo, threshold) < 0) {
                x = nextLong();
                lo = x * rangeExcl;
                hi = Math.unsignedMultiplyHigh(x, rangeExcl);
            }
        }
        return hi;
    }

    /**
     * {@code Generator.integers(0, n, size=count, dtype=int8)} into {@code out[offset..offset+count)}, for 0 &lt; n
     * &lt;= 128. NumPy fills 8-bit arrays from the four bytes of each 32-bit draw (low byte first), with a byte
     * buffer that lives only for the call: leftover bytes are dropped when it returns. So unlike int64 draws, one
     * call with {@code size=k} is not the same as k calls with {@code size=None} (each of which takes a fresh 32-bit
     * draw). Gymnasium's {@code MultiBinary.sample} is one such call.
     */
    public void integersInt8(int n, int[] out, int offset, int count) {
        checkInt8Bound(n);
        int range = n - 1;
        int buffer = 0;
        int bytesLeft = 0;
        for (int i = 0; i < count; i++) {
            if (range == 0) {
                out[offset + i] = 0;
                continue;
            }
            int rangeExcl = range + 1;
            // buffered_uint8: a fresh 32-bit draw gives four bytes, consumed low byte first
            if (bytesLeft == 0) {
                buffer = nextInt32();
                bytesLeft = 3;
            } else {
                buffer >>>= 8;
                bytesLeft--;
            }
            int m = (buffer & 0xFF) * rangeExcl;
            int leftover = m & 0xFF;
            if (leftover < rangeExcl) {
                int threshold = (0xFF - range) % rangeExcl;
                while (leftover < threshold) {
                    if (bytesLeft == 0) {
                        buffer = nextInt32();
                        bytesLeft = 3;
                    } else {
                        buffer >>>= 8;
                        bytesLeft--;
                    }
                    m = (buffer & 0xFF) * rangeExcl;
                    leftover = m & 0xFF;
                }
            }
            out[offset + i] = m >>> 8;
        }
    }

    private static void checkInt8Bound(int n) {
        if (n <= 0 || n > 128) {
            throw new IllegalArgumentException("integers(0, n, dtype=int8) needs 0 < n <= 128, got " + n);
        }
    }

    /** {@code Generator.uniform(low, high)} = low + (high - low) * random(). */
    public double uniform(double low, double high) {
        return low + (high - low) * random();
    }

    /** Fills {@code out} as {@code Generator.uniform(low, high, size=out.length)} does, element by element. */
    public void uniform(double low, double high, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = uniform(low, high);
        }
    }

    /** The six words of state: stateHi, stateLo, incHi, incLo, has-buffered-uint32 (0/1), buffered uint32. */
    public long[] state() {
        return new long[] {stateHi, stateLo, incHi, incLo, hasUint32 ? 1 : 0, uinteger & 0xFFFF_FFFFL};
    }

    public void restore(long[] state) {
        if (state.length != 6) {
            throw new IllegalArgumentException("an Rng state has 6 words, got " + state.length);
        }
        if ((state[3] & 1) == 0) {
            throw new IllegalArgumentException("not an Rng state: the PCG64 increment must be odd");
        }
        stateHi = state[0];
        stateLo = state[1];
        incHi = state[2];
        incLo = state[3];
        hasUint32 = state[4] != 0;
        uinteger = (int) state[5];
    }

    /** An independent copy in the same state. */
    public Rng copy() {
        return fromState(state());
    }
}
