package dev.deepq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepq.env.Env;
import dev.deepq.env.EnvSpec;
import dev.deepq.env.Envs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code deepq envs}: every registered env with its spaces, episode limit and reward threshold. */
@Command(name = "envs", mixinStandardHelpOptions = true,
        description = "List the registered environments: id, observation and action spaces, max steps, reward threshold.")
final class EnvsCommand implements Runnable {
    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    private record Row(String id, String observationSpace, String actionSpace, Integer maxSteps, Double threshold,
                       String description) {}

    @Override
    public void run() {
        List<Row> rows = new ArrayList<>();
        for (String id : Envs.ids()) {
            EnvSpec envSpec = Envs.spec(id);
            try (Env env = Envs.make(id)) {
                rows.add(new Row(id, env.observationSpace().toString(), env.actionSpace().toString(),
                        envSpec.maxEpisodeSteps(), envSpec.rewardThreshold(), envSpec.description()));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode array = mapper.createArrayNode();
            for (Row r : rows) {
                ObjectNode o = array.addObject();
                o.put("id", r.id());
                o.put("observation_space", r.observationSpace());
                o.put("action_space", r.actionSpace());
                if (r.maxSteps() == null) {
                    o.putNull("max_episode_steps");
                } else {
                    o.put("max_episode_steps", r.maxSteps());
                }
                if (r.threshold() == null) {
                    o.putNull("reward_threshold");
                } else {
                    o.put("reward_threshold", r.threshold());
                }
                o.put("description", r.description());
            }
            out.println(array.toPrettyString());
            return;
        }
        for (Row r : rows) {
            out.println(r.id() + (r.description().isEmpty() ? "" : "  —  " + r.description()));
            out.println("    observation: " + r.observationSpace());
            out.println("    action:      " + r.actionSpace());
            out.println("    max steps:   " + (r.maxSteps() == null ? "none" : r.maxSteps())
                    + "    reward threshold: " + (r.threshold() == null ? "none" : format(r.threshold())));
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
