package dev.deepq.env.spaces;

import dev.deepq.random.Rng;

/**
 * Normal and exponential draws for unbounded Box dimensions. These use inversion and the polar method on
 * {@link Rng#random()}, not NumPy's ziggurat, so unbounded Box samples are distributed as Gymnasium's but are not
 * the same numbers (bounded samples, which every built-in env's spaces have, are).
 */
final class Normal {
    private Normal() {}

    static double standardExponential(Rng rng) {
        return -Math.log1p(-rng.random());
    }

    static double standardNormal(Rng rng) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.random() - 1;
            v = 2 * rng.random() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
