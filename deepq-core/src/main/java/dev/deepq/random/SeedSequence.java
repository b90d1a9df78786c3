package dev.deepq.random;

import java.util.Arrays;

/**
 * A port of NumPy's {@code numpy.random.SeedSequence}: hashes a user seed (and an optional spawn key) into a
 * pool of four 32-bit words, from which generator states are drawn with {@link #generateState(int)}.
 *
 * <p>Porting it exactly is what lets {@code reset(seed)} of deepq's built-in environments start where
 * Gymnasium's do: Gymnasium seeds every environment as {@code Generator(PCG64(SeedSequence(seed)))}.
 * All arithmetic is on unsigned 32-bit words, kept in Java {@code int}s (wrap-around multiplication is the
 * same for signed and unsigned values).
 */
public final class SeedSequence {
    private static final int POOL_SIZE = 4;
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int XSHIFT = 16;

    private final long entropy;
    private final int[] spawnKey;
    private final int[] pool = new int[POOL_SIZE];
    private int childrenSpawned;

    /** The sequence NumPy builds for {@code SeedSequence(entropy)}; {@code entropy} must be non-negative. */
    public SeedSequence(long entropy) {
        this(entropy, new int[0]);
    }

    /** The sequence NumPy builds for {@code SeedSequence(entropy, spawn_key=spawnKey)}. */
    public SeedSequence(long entropy, int[] spawnKey) {
        if (entropy < 0) {
            throw new IllegalArgumentException("seed must be a non-negative integer, got " + entropy);
        }
        for (int k : spawnKey) {
            if (k < 0) {
                throw new IllegalArgumentException("spawn key words must be non-negative, got " + Arrays.toString(spawnKey));
            }
        }
        this.entropy = entropy;
        this.spawnKey = spawnKey.clone();
        mixEntropy(assembledEntropy());
    }

    public long entropy() {
        return entropy;
    }

    public int[] spawnKey() {
        return spawnKey.clone();
    }

    /** The pool NumPy exposes as {@code SeedSequence.pool}, as unsigned 32-bit words in {@code int}s. */
    public int[] pool() {
        return pool.clone();
    }

    /**
     * Independent child sequences, as NumPy's {@code spawn(n)}: child i has spawn key
     * {@code spawnKey + [childrenSpawned + i]}. Used to derive per-env and per-component streams from one run seed.
     */
    public SeedSequence[] spawn(int n) {
        SeedSequence[] children = new SeedSequence[n];
        for (int i = 0; i < n; i++) {
            int[] key = Arrays.copyOf(spawnKey, spawnKey.length + 1);
            key[spawnKey.length] = childrenSpawned + i;
            children[i] = new SeedSequence(entropy, key);
        }
        childrenSpawned += n;
        return children;
    }

    /** {@code generate_state(nWords, dtype=uint32)}. */
    public int[] generateState(int nWords) {
        int[] state = new int[nWords];
        int hashConst = INIT_B;
        for (int i = 0; i < nWords; i++) {
            int value = pool[i % POOL_SIZE];
            value ^= hashConst;
            hashConst *= MULT_B;
            value *= hashConst;
            value ^= value >>> XSHIFT;
            state[i] = value;
        }
        return state;
    }

    /** {@code generate_state(nWords, dtype=uint64)}: pairs of 32-bit words, low word first (little-endian view). */
    public long[] generateState64(int nWords) {
        int[] words = generateState(2 * nWords);
        long[] state = new long[nWords];
        for (int i = 0; i < nWords; i++) {
            state[i] = (words[2 * i] & 0xFFFF_FFFFL) | ((long) words[2 * i + 1] << 32);
        }
        return state;
    }

    private int[] assembledEntropy() {
        int[] run = toWords(entropy);
        if (spawnKey.length > 0 && run.length < POOL_SIZE) {
            run = Arrays.copyOf(run, POOL_SIZE);
        }
        int[] all = Arrays.copyOf(run, run.length + spawnKey.length);
        System.arraycopy(spawnKey, 0, all, run.length, spawnKey.length);
        return all;
    }

    /** NumPy's {@code _coerce_to_uint32_array} for a non-negative integer: little-endian 32-bit words, 0 → [0]. */
    private static int[] toWords(long value) {
        if ((value >>> 32) == 0) {
            return new int[] {(int) value};
        }
        return new int[] {(int) value, (int) (value >>> 32)};
    }

    private void mixEntropy(int[] entropyWords) {
        int[] hashConst = {INIT_A};
        for (int i = 0; i < POOL_SIZE; i++) {
            pool[i] = hashmix(i < entropyWords.length ? entropyWords[i] : 0, hashConst);
        }
        for (int src = 0; src < POOL_SIZE; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                if (src != dst) {
                    pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
                }
            }
        }
        for (int src = POOL_SIZE; src < entropyWords.length; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                pool[dst] = mix(pool[dst], hashmix(entropyWords[src], hashConst));
            }
        }
    }

    private static int hashmix(int value, int[] hashConst) {
        value ^= hashConst[0];
        hashConst[0] *= MULT_A;
        value *= hashConst[0];
        value ^= value >>> XSHIFT;
        return value;
    }

    private static int mix(int x, int y) {
        int result = MIX_MULT_L * x - MIX_MULT_R * y;
        result ^= result >>> XSHIFT;
        return result;
    }
}
