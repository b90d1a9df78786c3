package dev.deepq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.eval.EpisodeStats;
import dev.deepq.eval.RandomPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** {@code deepq random ENV}: returns of the uniformly random policy, the baseline scores are normalized against. */
@Command(name = "random", mixinStandardHelpOptions = true,
        description = "Run the uniformly random policy and report its returns (mean, std, min, max, mean length).")
final class RandomCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "ENV", description = "Environment id (see 'deepq envs').")
    String envId;

    @Option(names = "--episodes", defaultValue = "100", description = "Episodes to run (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the env and the action sampler (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
            description = "Env option, as gymnasium.make kwargs (repeatable), e.g. -o is_slippery=false.")
    List<String> options;

    @Option(names = "--max-episode-steps", description = "Override the env's time limit.")
    Integer maxEpisodeSteps;

    @Option(names = "--json", description = "Print one JSON object with keys mean, std, min, max, mean_length.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Guard for envs without a time limit whose random walk might never end. */
    private static final long MAX_STEPS_PER_EPISODE = 10_000_000L;

    @Override
    public void run() {
        if (episodes <= 0) {
            throw new Main.UserException("--episodes must be a positive integer, got " + episodes);
        }
        if (seed < 0) {
            throw new Main.UserException("--seed must be a non-negative integer, got " + seed);
        }
        if (maxEpisodeSteps != null && maxEpisodeSteps <= 0) {
            throw new Main.UserException("--max-episode-steps must be positive, got " + maxEpisodeSteps);
        }
        EpisodeStats stats;
        try (Env env = Envs.make(envId, EnvOptionParser.parse(options), maxEpisodeSteps)) {
            stats = RandomPolicy.evaluate(env, episodes, seed, MAX_STEPS_PER_EPISODE);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("mean", stats.mean());
            o.put("std", stats.std());
            o.put("min", stats.min());
            o.put("max", stats.max());
            o.put("mean_length", stats.meanLength());
            out.println(o.toString());
        } else {
            out.printf(Locale.ROOT, "%s, random policy, %d episodes, seed %d%n", envId, episodes, seed);
            out.printf(Locale.ROOT, "  return: mean %.4f  std %.4f  min %.4f  max %.4f%n",
                    stats.mean(), stats.std(), stats.min(), stats.max());
            out.printf(Locale.ROOT, "  episode length: mean %.2f%n", stats.meanLength());
        }
    }
}
