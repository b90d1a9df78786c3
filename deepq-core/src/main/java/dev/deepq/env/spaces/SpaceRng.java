package dev.deepq.env.spaces;

import dev.deepq.random.Rng;

/** The generator a space samples from: created lazily with seed 0, replaced by {@link Space#seed(long)}. */
final class SpaceRng {
    private Rng rng;

    Rng get() {
        if (rng == null) {
            rng = Rng.seeded(0);
        }
        return rng;
    }

    void seed(long seed) {
        rng = Rng.seeded(seed);
    }
}
