package dev.deepq.env.spaces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepq.random.NumpyFixtures;
import dev.deepq.random.Rng;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded space samples against the streams Gymnasium 0.29.1 produces, computed with NumPy 1.24.2 using Gymnasium's
 * sample formulas (see {@code tools/fixtures/make_numpy_fixtures.py}). Exact, sample by sample; both through
 * {@code space.seed(s); space.sample()} and through {@code sampleFlat} with an explicit generator.
 */
class SpaceSamplingNumpyTest {

    static Stream<JsonNode> discrete() {
        return elements("discrete");
    }

    static Stream<JsonNode> multiDiscrete() {
        return elements("multi_discrete");
    }

    static Stream<JsonNode> multiBinary() {
        return elements("multi_binary");
    }

    static Stream<JsonNode> box() {
        return elements("box");
    }

    private static Stream<JsonNode> elements(String section) {
        return StreamSupport.stream(NumpyFixtures.section(section).spliterator(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("discrete")
    void discreteSamplesAsGymnasium(JsonNode c) {
        Discrete space = new Discrete(c.get("n").asInt(), c.get("start").asInt());
        space.seed(c.get("seed").asLong());
        int[] expected = NumpyFixtures.ints(c.get("samples"));
        for (int i = 0; i < expected.length; i++) {
            assertThat(space.sample()).as("%s seeded %s, sample %d", space, c.get("seed"), i).isEqualTo(expected[i]);
        }
        Rng rng = Rng.seeded(c.get("seed").asLong());
        double[] flat = new double[1];
        for (int e : expected) {
            space.sampleFlat(rng, flat, 0);
            assertThat(flat[0]).isEqualTo(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiDiscrete")
    void multiDiscreteSamplesAsGymnasium(JsonNode c) {
        MultiDiscrete space = new MultiDiscrete(NumpyFixtures.ints(c.get("nvec")));
        space.seed(c.get("seed").asLong());
        Rng rng = Rng.seeded(c.get("seed").asLong());
        double[] flat = new double[space.size()];
        int i = 0;
        for (JsonNode s : c.get("samples")) {
            int[] expected = NumpyFixtures.ints(s);
            assertThat(space.sample()).as("%s sample %d", space, i++).containsExactly(expected);
            space.sampleFlat(rng, flat, 0);
            assertThat(flat).containsExactly(toDoubles(expected));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiBinary")
    void multiBinarySamplesAsGymnasium(JsonNode c) {
        MultiBinary space = new MultiBinary(c.get("n").asInt());
        space.seed(c.get("seed").asLong());
        Rng rng = Rng.seeded(c.get("seed").asLong());
        double[] flat = new double[space.size() + 2];
        int i = 0;
        for (JsonNode s : c.get("samples")) {
            int[] expected = NumpyFixtures.ints(s);
            assertThat(space.sample()).as("%s sample %d", space, i++).containsExactly(expected);
            space.sampleFlat(rng, flat, 1);
            for (int k = 0; k < expected.length; k++) {
                assertThat(flat[1 + k]).isEqualTo(expected[k]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("box")
    void boundedBoxSamplesAsGymnasium(JsonNode c) {
        Box space = new Box(NumpyFixtures.reals(c.get("low")), NumpyFixtures.reals(c.get("high")),
                NumpyFixtures.ints(c.get("shape")), DType.fromNumpyName(c.get("dtype").asText()));
        space.seed(c.get("seed").asLong());
        Rng rng = Rng.seeded(c.get("seed").asLong());
        double[] flat = new double[space.size()];
        int i = 0;
        for (JsonNode s : c.get("samples")) {
            double[] expected = NumpyFixtures.reals(s);
            double[] sample = space.sample();
            assertThat(sample).as("%s sample %d", space, i++).containsExactly(expected);
            assertThat(space.contains(sample)).isTrue();
            space.sampleFlat(rng, flat, 0);
            assertThat(flat).containsExactly(expected);
        }
    }

    private static double[] toDoubles(int[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
