package dev.deepq.env;

/** Creates an env from its options (the registration's defaults overlaid with the caller's). */
@FunctionalInterface
public interface EnvFactory {
    Env create(EnvOptions options);
}
