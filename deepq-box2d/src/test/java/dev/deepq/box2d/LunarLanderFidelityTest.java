package dev.deepq.box2d;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepq.box2d.LunarLanderEpisodes.Policy;
import dev.deepq.box2d.LunarLanderEpisodes.Stats;
import dev.deepq.env.Envs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Statistical fidelity against Gymnasium 1.0.0 (../shared/lunarlander): the same policies, the same seeds (10000
 * upward) and the same episode counts on the port must give mean return and length within 4 standard errors of the
 * difference of the two means, and landing / crash / truncation fractions within 0.05. Box2D and JBox2D round
 * differently, so episodes are not identical step for step; the random draws (terrain, push, dispersion) are.
 */
class LunarLanderFidelityTest {
    private static final double STANDARD_ERRORS = 4.0;
    private static final double FRACTION_TOLERANCE = 0.05;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "LunarLander-v3, random",
        "LunarLander-v3, heuristic",
        "LunarLanderContinuous-v3, random",
        "LunarLanderContinuous-v3, heuristic",
    })
    void matchesGymnasiumStatistics(String envId, String policyName) throws IOException {
        JsonNode expected = gymnasiumCase(envId, policyName);
        int episodes = expected.get("episodes").asInt();
        long firstSeed = Long.parseLong(expected.get("seeds").asText().split("\\.\\.")[0]);
        Policy policy = Policy.valueOf(policyName.toUpperCase(Locale.ROOT));

        Stats port = LunarLanderEpisodes.run(Envs.make(envId), policy, firstSeed, episodes);

        String context = envId + " " + policyName + ": port " + port + " vs Gymnasium " + expected;
        assertMeanClose("return", port.returnMean(), port.returnStd(), expected.get("return_mean").asDouble(),
                expected.get("return_std").asDouble(), episodes, context);
        assertMeanClose("length", port.lengthMean(), port.lengthStd(), expected.get("length_mean").asDouble(),
                expected.get("length_std").asDouble(), episodes, context);
        assertThat(port.fractionAtRest()).as("fraction landed at rest; " + context)
                .isCloseTo(expected.get("fraction_terminated_at_rest").asDouble(), org.assertj.core.data.Offset.offset(FRACTION_TOLERANCE));
        assertThat(port.fractionCrashedOrOut()).as("fraction crashed or out; " + context)
                .isCloseTo(expected.get("fraction_crashed_or_out").asDouble(), org.assertj.core.data.Offset.offset(FRACTION_TOLERANCE));
        assertThat(port.fractionTruncated()).as("fraction truncated at 1000; " + context)
                .isCloseTo(expected.get("fraction_truncated_1000").asDouble(), org.assertj.core.data.Offset.offset(FRACTION_TOLERANCE));
    }

    private static void assertMeanClose(String what, double portMean, double portStd, double gymMean, double gymStd,
                                        int episodes, String context) {
        double standardError = Math.sqrt((portStd * portStd + gymStd * gymStd) / episodes);
        assertThat(Math.abs(portMean - gymMean))
                .as("mean %s %.3f vs Gymnasium %.3f: difference must be within %.0f standard errors (%.3f); %s",
                        what, portMean, gymMean, STANDARD_ERRORS, standardError, context)
                .isLessThanOrEqualTo(STANDARD_ERRORS * standardError);
    }

    static JsonNode gymnasiumCase(String envId, String policy) throws IOException {
        Path dir = Path.of(System.getProperty("deepq.oracle.dir", "../shared/oracle")).resolveSibling("lunarlander");
        JsonNode root = new ObjectMapper().readTree(dir.resolve("gymnasium-1.0.0-stats.json").toFile());
        for (JsonNode c : root.get("cases")) {
            if (c.get("env_id").asText().equals(envId) && c.get("policy").asText().equals(policy)) {
                return c;
            }
        }
        throw new AssertionError("no case " + envId + " / " + policy + " in " + dir);
    }
}
