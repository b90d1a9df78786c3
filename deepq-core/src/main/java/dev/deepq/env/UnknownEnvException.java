package dev.deepq.env;

import java.util.List;

/** {@link Envs#make} was given an id nobody registered. The message lists close matches. */
public final class UnknownEnvException extends IllegalArgumentException {
    private final String requestedId;
    private final List<String> suggestions;

    public UnknownEnvException(String requestedId, List<String> suggestions) {
        super("unknown environment id '" + requestedId + "'"
                + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(", ", suggestions) + "?")
                + " (deepq envs lists all ids)");
        this.requestedId = requestedId;
        this.suggestions = List.copyOf(suggestions);
    }

    public String requestedId() {
        return requestedId;
    }

    public List<String> suggestions() {
        return suggestions;
    }
}
