package dev.deepq.env.spaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.random.Rng;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Unit behaviour of the spaces: membership, argument checking, equality, flattening, seeding and printing. */
class SpacesTest {

    @Nested
    class DiscreteSpace {
        @Test
        void containsExactlyItsIntegers() {
            Discrete d = new Discrete(3, 1);
            assertThat(d.contains(0)).isFalse();
            assertThat(d.contains(1)).isTrue();
            assertThat(d.contains(3)).isTrue();
            assertThat(d.contains(4)).isFalse();
            assertThat(d.containsFlat(new double[] {2.0}, 0)).isTrue();
            assertThat(d.containsFlat(new double[] {2.5}, 0)).isFalse();
            assertThat(d.containsFlat(new double[] {Double.NaN}, 0)).isFalse();
            assertThat(d.containsFlat(new double[] {Double.POSITIVE_INFINITY}, 0)).isFalse();
        }

        @Test
        void rejectsEmptySpace() {
            assertThatThrownBy(() -> new Discrete(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("n > 0").hasMessageContaining("n=0");
            assertThatThrownBy(() -> new Discrete(-2, 1)).hasMessageContaining("n=-2");
        }

        @Test
        void equalityCoversNAndStart() {
            assertThat(new Discrete(3)).isEqualTo(new Discrete(3, 0)).hasSameHashCodeAs(new Discrete(3, 0));
            assertThat(new Discrete(3)).isNotEqualTo(new Discrete(3, 1)).isNotEqualTo(new Discrete(4));
            assertThat(new Discrete(3)).isNotEqualTo(new MultiDiscrete(3));
        }

        @Test
        void flattensOneHotRelativeToStart() {
            double[] out = {9, 9, 9, 9, 9};
            new Discrete(3, 1).flatten(new double[] {2}, 0, out, 1);
            assertThat(out).containsExactly(9, 0, 1, 0, 9);
            assertThat(new Discrete(3, 1).flatDim()).isEqualTo(3);
        }

        @Test
        void printsAsGymnasium() {
            assertThat(new Discrete(3)).hasToString("Discrete(3)");
            assertThat(new Discrete(3, 1)).hasToString("Discrete(3, start=1)");
            assertThat(new Discrete(5, -2)).hasToString("Discrete(5, start=-2)");
        }

        @Test
        void samplesStayInsideAndCoverTheSpace() {
            Discrete d = new Discrete(4, 10);
            d.seed(3);
            boolean[] seen = new boolean[4];
            for (int i = 0; i < 200; i++) {
                int s = d.sample();
                assertThat(d.contains(s)).isTrue();
                seen[s - 10] = true;
            }
            assertThat(seen).containsOnly(true);
        }
    }

    @Nested
    class BoxSpace {
        private final Box box = Box.float32(new double[] {-1, 0}, new double[] {1, 2});

        @Test
        void containsChecksBoundsInclusiveAndRejectsNaN() {
            assertThat(box.contains(new double[] {-1, 2})).isTrue();
            assertThat(box.contains(new double[] {0.5, 1})).isTrue();
            assertThat(box.contains(new double[] {-1.0001, 1})).isFalse();
            assertThat(box.contains(new double[] {0, 2.0001})).isFalse();
            assertThat(box.contains(new double[] {Double.NaN, 1})).isFalse();
            assertThat(box.contains(new double[] {0})).as("wrong length").isFalse();
        }

        @Test
        void unboundedBoxContainsInfinityButNotNaN() {
            Box unbounded = new Box(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {2}, DType.FLOAT64);
            assertThat(unbounded.contains(new double[] {Double.POSITIVE_INFINITY, -1e300})).isTrue();
            assertThat(unbounded.contains(new double[] {Double.NaN, 0})).isFalse();
            assertThat(unbounded.isBoundedBelow(0)).isFalse();
            assertThat(unbounded.isBoundedAbove(1)).isFalse();
        }

        @Test
        void integerBoxContainsOnlyWholeNumbers() {
            Box ints = new Box(0, 255, new int[] {2}, DType.UINT8);
            assertThat(ints.contains(new double[] {0, 255})).isTrue();
            assertThat(ints.contains(new double[] {0.5, 3})).isFalse();
            assertThat(ints.contains(new double[] {256, 3})).isFalse();
            assertThat(ints.isInteger()).isTrue();
        }

        @Test
        void float32BoundsAreRoundedAsNumpyStoresThem() {
            Box b = Box.float32(new double[] {-0.7}, new double[] {0.7});
            assertThat(b.high(0)).isEqualTo((double) 0.7f).isLessThan(0.7);
            assertThat(b.contains(new double[] {0.7})).as("0.7 > float32(0.7)").isFalse();
            assertThat(b.contains(new double[] {(float) 0.7})).isTrue();
        }

        @Test
        void rejectsBadArguments() {
            assertThatThrownBy(() -> new Box(new double[] {0, 0}, new double[] {1}, new int[] {2}, DType.FLOAT32))
                    .hasMessageContaining("2 elements").hasMessageContaining("(2,)");
            assertThatThrownBy(() -> Box.float32(new double[] {1}, new double[] {0}))
                    .hasMessageContaining("low must be <= high").hasMessageContaining("element 0");
            assertThatThrownBy(() -> Box.float32(new double[] {Double.NaN}, new double[] {0}))
                    .hasMessageContaining("NaN");
            assertThatThrownBy(() -> new Box(0, 1, new int[] {-1}, DType.FLOAT32)).hasMessageContaining(">= 0");
            assertThatThrownBy(() -> new Box(0, 300, new int[] {1}, DType.UINT8))
                    .hasMessageContaining("high[0]").hasMessageContaining("uint8");
            assertThatThrownBy(() -> new Box(0, 1.5, new int[] {1}, DType.INT32)).hasMessageContaining("whole-number");
            assertThatThrownBy(() -> new Box(Double.NEGATIVE_INFINITY, 3, new int[] {1}, DType.UINT8))
                    .hasMessageContaining("unbounded below");
            assertThatThrownBy(() -> box.sample(Rng.seeded(0), new double[3])).hasMessageContaining("array of 2");
        }

        @Test
        void equalityCoversBoundsShapeAndDtype() {
            Box same = Box.float32(new double[] {-1, 0}, new double[] {1, 2});
            assertThat(box).isEqualTo(same).hasSameHashCodeAs(same);
            assertThat(box).isNotEqualTo(Box.float32(new double[] {-1, 0}, new double[] {1, 3}));
            assertThat(box).isNotEqualTo(new Box(new double[] {-1, 0}, new double[] {1, 2}, new int[] {2}, DType.FLOAT64));
            assertThat(box).isNotEqualTo(new Box(new double[] {-1, 0}, new double[] {1, 2}, new int[] {1, 2}, DType.FLOAT32));
        }

        @Test
        void flattenCopiesTheElement() {
            double[] out = new double[4];
            box.flatten(new double[] {7, 0.5, -0.5, 7}, 1, out, 2);
            assertThat(out).containsExactly(0, 0, 0.5, -0.5);
            assertThat(box.flatDim()).isEqualTo(2);
        }

        @Test
        void unboundedSamplesAreFiniteAndOnTheRightSide() {
            Box mixed = new Box(new double[] {Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY},
                    new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0}, new int[] {3}, DType.FLOAT64);
            mixed.seed(1);
            for (int i = 0; i < 100; i++) {
                double[] s = mixed.sample();
                assertThat(java.util.Arrays.stream(s).allMatch(Double::isFinite)).isTrue();
                assertThat(s[1]).isGreaterThanOrEqualTo(0);
                assertThat(s[2]).isLessThanOrEqualTo(0);
            }
        }

        @Test
        void printsUniformBoundsAsScalars() {
            assertThat(new Box(-1.0, 1.0, new int[] {2, 3}, DType.FLOAT32)).hasToString("Box(-1.0, 1.0, (2, 3), float32)");
            assertThat(new Box(0, 255, new int[] {84, 84, 1}, DType.UINT8)).hasToString("Box(0, 255, (84, 84, 1), uint8)");
            assertThat(new Box(new double[] {0, 0}, new double[] {1, 2}, new int[] {2}, DType.FLOAT32))
                    .hasToString("Box(0.0, [1. 2.], (2,), float32)");
            assertThat(new Box(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new int[] {1}, DType.INT64))
                    .hasToString("Box(-9223372036854775806, 9223372036854775805, (1,), int64)");
        }
    }

    @Nested
    class MultiDiscreteSpace {
        private final MultiDiscrete md = new MultiDiscrete(3, 2);

        @Test
        void containsChecksEveryDimension() {
            assertThat(md.contains(new int[] {2, 1})).isTrue();
            assertThat(md.contains(new int[] {3, 0})).isFalse();
            assertThat(md.contains(new int[] {0, -1})).isFalse();
            assertThat(md.contains(new int[] {0})).isFalse();
            assertThat(md.containsFlat(new double[] {1, 0.5}, 0)).isFalse();
            assertThat(md.containsFlat(new double[] {Double.NaN, 0}, 0)).isFalse();
        }

        @Test
        void rejectsBadNvec() {
            assertThatThrownBy(MultiDiscrete::new).hasMessageContaining("at least one");
            assertThatThrownBy(() -> new MultiDiscrete(3, 0)).hasMessageContaining("nvec[1]=0");
        }

        @Test
        void equalityAndFlatten() {
            assertThat(md).isEqualTo(new MultiDiscrete(3, 2)).hasSameHashCodeAs(new MultiDiscrete(3, 2));
            assertThat(md).isNotEqualTo(new MultiDiscrete(2, 3));
            double[] out = new double[5];
            md.flatten(new double[] {2, 0}, 0, out, 0);
            assertThat(out).containsExactly(0, 0, 1, 1, 0);
            assertThat(md.flatDim()).isEqualTo(5);
        }

        @Test
        void printsAsGymnasium() {
            assertThat(md).hasToString("MultiDiscrete([3 2])");
            assertThat(new MultiDiscrete(10, 2)).hasToString("MultiDiscrete([10  2])");
        }
    }

    @Nested
    class MultiBinarySpace {
        private final MultiBinary mb = new MultiBinary(3);

        @Test
        void containsOnlyZerosAndOnes() {
            assertThat(mb.contains(new int[] {0, 1, 1})).isTrue();
            assertThat(mb.contains(new int[] {0, 2, 1})).isFalse();
            assertThat(mb.contains(new int[] {0, 1})).isFalse();
            assertThat(mb.containsFlat(new double[] {0, 1, Double.NaN}, 0)).isFalse();
        }

        @Test
        void rejectsBadN() {
            assertThatThrownBy(() -> new MultiBinary(0)).hasMessageContaining("n > 0");
            assertThatThrownBy(() -> mb.sample(Rng.seeded(0), new int[2])).hasMessageContaining("array of 3");
        }

        @Test
        void equalityFlattenAndPrinting() {
            assertThat(mb).isEqualTo(new MultiBinary(3)).hasSameHashCodeAs(new MultiBinary(3));
            assertThat(mb).isNotEqualTo(new MultiBinary(4));
            double[] out = new double[3];
            mb.flatten(new double[] {1, 0, 1}, 0, out, 0);
            assertThat(out).containsExactly(1, 0, 1);
            assertThat(mb).hasToString("MultiBinary(3)");
        }
    }

    @Test
    void seedingMakesSamplesReproducibleAndReseedingRestartsTheStream() {
        Space[] spaces = {new Discrete(7), Box.float32(new double[] {-1, -2}, new double[] {1, 2}),
                new MultiDiscrete(4, 5), new MultiBinary(6)};
        for (Space space : spaces) {
            space.seed(123);
            double[] first = sampleMany(space);
            space.seed(123);
            assertThat(sampleMany(space)).as("%s reseeded with the same seed", space).containsExactly(first);
            space.seed(124);
            assertThat(sampleMany(space)).as("%s with another seed", space).isNotEqualTo(first);
        }
    }

    @Test
    void anUnseededSpaceSamplesAsIfSeededWithZero() {
        Discrete unseeded = new Discrete(100);
        Discrete seeded = new Discrete(100);
        seeded.seed(0);
        for (int i = 0; i < 20; i++) {
            assertThat(unseeded.sample()).isEqualTo(seeded.sample());
        }
    }

    private static double[] sampleMany(Space space) {
        int n = 10;
        double[] out = new double[n * space.size()];
        for (int i = 0; i < n; i++) {
            space.sampleFlat(space.rng(), out, i * space.size());
            assertThat(space.containsFlat(out, i * space.size())).as("%s sample inside", space).isTrue();
        }
        return out;
    }
}
