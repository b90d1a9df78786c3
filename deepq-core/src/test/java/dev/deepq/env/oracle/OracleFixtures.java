package dev.deepq.env.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the Gymnasium trajectory recordings (see {@code ../shared/oracle/README.md}) from the directory named by the
 * system property {@code deepq.oracle.dir} (default {@code ../shared/oracle}), so other recordings can be replayed
 * by the same tests.
 */
public final class OracleFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OracleFixtures() {}

    public static Path dir() {
        String configured = System.getProperty("deepq.oracle.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "shared", "oracle");
        return dir.toAbsolutePath().normalize();
    }

    /** One trajectory file: its path, header and runs. */
    public record Case(Path path, JsonNode header, JsonNode runs) {
        public String envId() {
            return header.get("env_id").asText();
        }

        public JsonNode makeKwargs() {
            return header.get("make_kwargs");
        }

        public String name() {
            return path.getFileName().toString().replace(".json", "");
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** Every trajectory file ({@code *.json}, not {@code *.P.json}) whose env id satisfies {@code envIds}. */
    public static List<Case> cases(java.util.function.Predicate<String> envIds) {
        List<Case> cases = new ArrayList<>();
        for (Path p : files(".json")) {
            if (p.getFileName().toString().endsWith(".P.json")) {
                continue;
            }
            JsonNode root = read(p);
            Case c = new Case(p, root.get("header"), root.get("runs"));
            if (envIds.test(c.envId())) {
                cases.add(c);
            }
        }
        return cases;
    }

    /** Every transition-table file ({@code *.P.json}) as (path, root). */
    public static List<Path> transitionTables() {
        return files(".P.json");
    }

    public static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read oracle fixture " + p, e);
        }
    }

    private static List<Path> files(String suffix) {
        Path dir = dir();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("oracle directory " + dir + " does not exist; set -Ddeepq.oracle.dir");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
