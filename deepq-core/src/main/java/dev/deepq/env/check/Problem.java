package dev.deepq.env.check;

import java.util.Objects;

/**
 * One finding of the {@link EnvChecker}: how serious it is, which part of the env contract it concerns, and a message
 * that names the env, says what is wrong and how to fix it.
 *
 * @param severity {@link Severity#ERROR} breaks the contract; {@link Severity#WARNING} is suspicious but may be intended
 * @param kind the contract area
 * @param message the full explanation
 */
public record Problem(Severity severity, Kind kind, String message) {
    public Problem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** How serious a problem is. */
    public enum Severity {
        /** The env violates the contract: training on it would be wrong or fail. */
        ERROR,
        /** Probably a mistake, but legitimate in some envs (e.g. a fully deterministic env ignores its seed). */
        WARNING
    }

    /** The part of the env contract a problem concerns. */
    public enum Kind {
        CLASS_LOADING,
        SPACES,
        RESET,
        STEP,
        OBSERVATION,
        REWARD,
        DETERMINISM,
        SEEDING,
        EPISODE_END,
        ACTION_MASK,
        RENDER,
        CLOSE
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity + " [" + kind.name().toLowerCase(java.util.Locale.ROOT) + "] " + message;
    }
}
