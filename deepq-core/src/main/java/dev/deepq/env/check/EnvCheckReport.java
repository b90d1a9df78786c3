package dev.deepq.env.check;

import java.util.List;

/**
 * What the {@link EnvChecker} found for one env: every problem, errors first. An env {@link #passed()} when there is
 * no error (warnings are allowed).
 *
 * @param envName the env's id, or its class name when it has no registered id
 * @param problems the problems found, errors before warnings
 * @param stepsTaken how many env steps the checker took in total
 */
public record EnvCheckReport(String envName, List<Problem> problems, int stepsTaken) {
    public EnvCheckReport {
        problems = problems.stream()
                .sorted(java.util.Comparator.comparing(Problem::severity))
                .toList();
    }

    /** Whether the env has no errors. */
    public boolean passed() {
        return errors().isEmpty();
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    /** Whether some problem of this kind was found. */
    public boolean has(Problem.Kind kind) {
        return problems.stream().anyMatch(p -> p.kind() == kind);
    }

    /** A summary line followed by one line per problem. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("env check of ").append(envName).append(": ");
        int e = errors().size();
        int w = warnings().size();
        b.append(e == 0 ? "passed" : "FAILED with " + e + (e == 1 ? " error" : " errors"));
        if (w > 0) {
            b.append(e == 0 ? " with " : " and ").append(w).append(w == 1 ? " warning" : " warnings");
        }
        b.append(" (").append(stepsTaken).append(" steps)");
        for (Problem p : problems) {
            b.append("\n  ").append(p);
        }
        return b.toString();
    }
}
