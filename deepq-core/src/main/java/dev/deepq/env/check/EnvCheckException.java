package dev.deepq.env.check;

import java.util.List;

/** Thrown by {@link EnvChecker#checkOrThrow} when an env fails its check; carries the full report. */
public final class EnvCheckException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient EnvCheckReport report;

    public EnvCheckException(EnvCheckReport report) {
        super(report.toString());
        this.report = report;
    }

    public EnvCheckReport report() {
        return report;
    }

    /** All problems found (errors first), including warnings. */
    public List<Problem> problems() {
        return report.problems();
    }
}
