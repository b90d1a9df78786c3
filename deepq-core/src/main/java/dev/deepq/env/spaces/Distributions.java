package dev.deepq.env.spaces;

import dev.deepq.random.Rng;

/** The NumPy {@code Generator} draws that spaces need beyond {@link Rng}'s own. */
final class Distributions {
    private Distributions() {}

    /**
     * {@code Generator.integers(n)} for 0 < n: NumPy's bounded draw (Lemire's method on 32-bit draws when
     * n - 1 fits in 32 bits, on 64-bit draws otherwise).
     */
    static long integers(Rng rng, long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("integers(n) needs n > 0, got " + n);
        }
        long range = n - 1;
        if (range == 0) {
            return 0;
        }
        if (range <= 0xFFFF_FFFFL) {
            if (range == 0xFFFF_FFFFL) {
                return rng.nextInt32() & 0xFFFF_FFFFL;
            }
            return boundedLemire32(rng, (int) range);
        }
        return boundedLemire64(rng, range);
    }

    private static long boundedLemire32(Rng rng, int range) {
        long rangeExcl = (range & 0xFFFF_FFFFL) + 1;
        long m = (rng.nextInt32() & 0xFFFF_FFFFL) * rangeExcl;
        long leftover = m & 0xFFFF_FFFFL;
        if (leftover < rangeExcl) {
            long threshold = (0xFFFF_FFFFL - (range & 0xFFFF_FFFFL)) % rangeExcl;
            while (leftover < threshold) {
                m = (rng.nextInt32() & 0xFFFF_FFFFL) * rangeExcl;
                leftover = m & 0xFFFF_FFFFL;
            }
        }
        return m >>> 32;
    }

    private static long boundedLemire64(Rng rng, long range) {
        long rangeExcl = range + 1;
        long x = rng.nextLong();
        long lo = x * rangeExcl;
        long hi = Math.unsignedMultiplyHigh(x, rangeExcl);
        if (Long.compareUnsigned(lo, rangeExcl) < 0) {
            long threshold = Long.remainderUnsigned(-rangeExcl, rangeExcl);
            while (Long.compareUnsigned(lo, threshold) < 0) {
                x = rng.nextLong();
                lo = x * rangeExcl;
                hi = Math.unsignedMultiplyHigh(x, rangeExcl);
            }
        }
        return hi;
    }
}
