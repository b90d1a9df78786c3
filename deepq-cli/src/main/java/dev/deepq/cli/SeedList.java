package dev.deepq.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The seeds of a study, from {@code --seeds}: a count ({@code 10}: seeds 0 to 9), a comma-separated list
 * ({@code 1,2,3}) or an inclusive range ({@code 0-9}); list items may themselves be ranges ({@code 0-4,10}). One
 * number is always a count, so a lone seed s is the range {@code s-s}.
 */
final class SeedList {
    /** More runs than this is almost certainly a typo (and would create that many folders). */
    static final int MAX_SEEDS = 10_000;

    private SeedList() {}

    /** The seeds in the order given; a user error naming {@code --seeds} for anything malformed. */
    static List<Long> parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.matches("\\d+")) {
            long count = parseNumber(s, text);
            if (count < 1 || count > MAX_SEEDS) {
                throw malformed(text, "a count must be between 1 and " + MAX_SEEDS);
            }
            List<Long> seeds = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                seeds.add(i);
            }
            return seeds;
        }
        Set<Long> seeds = new LinkedHashSet<>();
        for (String item : s.split(",", -1)) {
            String part = item.strip();
            if (part.matches("\\d+")) {
                add(seeds, parseNumber(part, text), text);
            } else if (part.matches("\\d+\\s*-\\s*\\d+")) {
                String[] ends = part.split("-");
                long lo = parseNumber(ends[0].strip(), text);
                long hi = parseNumber(ends[1].strip(), text);
                if (lo > hi) {
                    throw malformed(text, "range " + part + " runs backwards");
                }
                if (hi - lo >= MAX_SEEDS) {
                    throw malformed(text, "range " + part + " has more than " + MAX_SEEDS + " seeds");
                }
                for (long v = lo; v <= hi; v++) {
                    add(seeds, v, text);
                }
            } else {
                throw malformed(text, part.isEmpty() ? "an empty item" : "'" + part + "' is not a seed or a range");
            }
        }
        return List.copyOf(seeds);
    }

    private static void add(Set<Long> seeds, long seed, String text) {
        if (!seeds.add(seed)) {
            throw malformed(text, "seed " + seed + " appears twice");
        }
        if (seeds.size() > MAX_SEEDS) {
            throw malformed(text, "more than " + MAX_SEEDS + " seeds");
        }
    }

    private static long parseNumber(String digits, String text) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw malformed(text, digits + " is too large");
        }
    }

    private static Main.UserException malformed(String text, String problem) {
        return new Main.UserException("--seeds '" + text + "': " + problem + "; expected a count (10: seeds 0-9), a list "
                + "(1,2,3) or a range (0-9) of non-negative integers");
    }
}
