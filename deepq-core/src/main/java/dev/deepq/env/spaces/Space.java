package dev.deepq.env.spaces;

import dev.deepq.random.Rng;

/**
 * The set of valid observations or actions, as Gymnasium's {@code gymnasium.spaces}.
 *
 * <p>deepq keeps every element of a space flat: an observation is a {@code double[]} of {@link #size()} numbers
 * (a {@link Discrete} element is one number; a {@link Box} of shape (3, 4) is twelve, row-major). Actions use the
 * natural Java type of their space: {@code int} for Discrete, {@code double[]} for Box, {@code int[]} for
 * MultiDiscrete and MultiBinary.
 *
 * <p>A space carries its own NumPy-compatible generator for {@code sample}, seeded with {@link #seed(long)} exactly
 * as Gymnasium's {@code space.seed(seed)}, so a seeded space samples what Gymnasium's does.
 */
public sealed interface Space permits Discrete, Box, MultiDiscrete, MultiBinary {

    /** The shape of one element, as Gymnasium reports it ({@code ()} for Discrete). */
    int[] shape();

    /** How many numbers one element takes when stored flat (Discrete: 1). */
    int size();

    /** The length of {@code gymnasium.spaces.flatten} of one element (Discrete(n): n, one-hot). */
    int flatDim();

    /** Whether the {@link #size()} numbers at {@code values[offset..]} form an element of this space. */
    boolean containsFlat(double[] values, int offset);

    /** Writes a sample as {@link #size()} numbers at {@code out[offset..]}, drawing from {@code rng}. */
    void sampleFlat(Rng rng, double[] out, int offset);

    /** Reseeds this space's own generator, as Gymnasium's {@code space.seed(seed)}. */
    void seed(long seed);

    /** This space's own generator (seeded with 0 until {@link #seed(long)} is called). */
    Rng rng();

    /** Writes {@code gymnasium.spaces.flatten} of the flat element at {@code values[offset..]} into {@code out[outOffset..]}. */
    void flatten(double[] values, int offset, double[] out, int outOffset);

    /** Whether elements are integers (Discrete, MultiDiscrete, MultiBinary, integer Box). */
    boolean isInteger();
}
