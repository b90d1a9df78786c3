package dev.deepq.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns repeated {@code -o key=value} options into an env options map (values stay strings; the env converts). */
final class EnvOptionParser {
    private EnvOptionParser() {}

    static Map<String, Object> parse(List<String> pairs) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (pairs == null) {
            return options;
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new Main.UserException("env option '" + pair + "' must look like key=value");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            options.put(key, value.equalsIgnoreCase("null") || value.equalsIgnoreCase("none") ? null : value);
        }
        return options;
    }
}
