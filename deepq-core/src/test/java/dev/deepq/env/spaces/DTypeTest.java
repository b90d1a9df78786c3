package dev.deepq.env.spaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DTypeTest {

    @Test
    void castsAsNumpyAstypeDoes() {
        assertThat(DType.FLOAT32.cast(0.1)).isEqualTo((double) 0.1f);
        assertThat(DType.INT8.cast(130)).isEqualTo(-126.0);
        assertThat(DType.UINT8.cast(-1)).isEqualTo(255.0);
        assertThat(DType.INT32.cast(-2.7)).isEqualTo(-2.0);
    }

    @Test
    void int8BoxesKeepTheirRange() {
        assertThat(new Box(-128, 127, new int[] {2}, DType.INT8)).hasToString("Box(-128, 127, (2,), int8)");
        assertThatThrownBy(() -> new Box(0, 200, new int[] {1}, DType.INT8)).hasMessageContaining("is not a int8 value");
    }

    @Test
    void namesRoundTrip() {
        for (DType t : DType.values()) {
            assertThat(DType.fromNumpyName(t.numpyName())).isEqualTo(t);
        }
        assertThatThrownBy(() -> DType.fromNumpyName("float16")).hasMessageContaining("valid: float32, float64, uint8, int8");
    }
}
