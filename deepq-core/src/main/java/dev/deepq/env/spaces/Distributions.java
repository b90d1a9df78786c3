package dev.deepq.env.spaces;

import dev.deepq.random.Rng;

/** The NumPy {@code Generator} draws that spaces need, named as Gymnasium calls them. */
final class Distributions {
    private Distributions() {}

    /** {@code Generator.integers(n)}: see {@link Rng#integers(long)}. */
    static long integers(Rng rng, long n) {
        return rng.integers(n);
    }
}
