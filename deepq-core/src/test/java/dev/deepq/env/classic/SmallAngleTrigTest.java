package dev.deepq.env.classic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

class SmallAngleTrigTest {
    @Test
    void equalsStrictMathBitForBit() {
        Rng rng = Rng.seeded(11);
        long mismatches = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double scale = switch (i % 4) {
                case 0 -> 1.0;
                case 1 -> 0.3;
                case 2 -> 1e-4;
                default -> 4.0;
            };
            double x = rng.uniform(-scale, scale);
            mismatches += Double.doubleToRawLongBits(SmallAngleTrig.sin(x)) != Double.doubleToRawLongBits(StrictMath.sin(x)) ? 1 : 0;
            mismatches += Double.doubleToRawLongBits(SmallAngleTrig.cos(x)) != Double.doubleToRawLongBits(StrictMath.cos(x)) ? 1 : 0;
        }
        assertThat(mismatches).isZero();
        for (double x : new double[] {0.0, -0.0, 1e-300, 0.3, 0.78125, 0.785, -0.785, Math.PI / 4, 1e9, Double.NaN,
                Double.POSITIVE_INFINITY}) {
            assertThat(Double.doubleToRawLongBits(SmallAngleTrig.sin(x))).as("sin %s", x)
                    .isEqualTo(Double.doubleToRawLongBits(StrictMath.sin(x)));
            assertThat(Double.doubleToRawLongBits(SmallAngleTrig.cos(x))).as("cos %s", x)
                    .isEqualTo(Double.doubleToRawLongBits(StrictMath.cos(x)));
        }
    }
}
