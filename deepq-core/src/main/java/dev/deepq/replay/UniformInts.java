package dev.deepq.replay;

import dev.deepq.random.Rng;

/**
 * Unbiased integers in {@code [0, n)}: NumPy's {@code Generator.integers(n)} for {@code n <= 2^31} (Lemire's
 * multiply-and-reject on 32-bit draws), so draws cost one 32-bit number almost always and allocate nothing.
 */
final class UniformInts {
    private UniformInts() {}

    static int below(Rng rng, int n) {
        if (n == 1) {
            return 0;
        }
        long rangeExcl = n;
        long m = (rng.nextInt32() & 0xFFFF_FFFFL) * rangeExcl;
        long leftover = m & 0xFFFF_FFFFL;
        if (leftover < rangeExcl) {
            long threshold = (0x1_0000_0000L - rangeExcl) % rangeExcl;
            while (leftover < threshold) {
                m = (rng.nextInt32() & 0xFFFF_FFFFL) * rangeExcl;
                leftover = m & 0xFFFF_FFFFL;
            }
        }
        return (int) (m >>> 32);
    }
}
