package dev.deepq.cli;

import java.io.PrintWriter;
import java.util.Collection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deepq presets}: the shipped presets (name, env, algorithm, source); {@code deepq presets show NAME}: one. */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = "List the shipped hyperparameter presets: name, env, algorithm, source.",
        subcommands = PresetsCommand.Show.class)
final class PresetsCommand implements Runnable {
    @Option(names = "--env", paramLabel = "ENV", description = "Only the presets for this env.")
    String env;

    @Option(names = "--algo", paramLabel = "ALGO", description = "Only the presets for this algorithm.")
    String algo;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Collection<Preset> presets = Presets.shipped().values();
        PrintWriter out = spec.commandLine().getOut();
        int nameWidth = 4;
        int envWidth = 3;
        int algoWidth = 4;
        for (Preset p : presets) {
            nameWidth = Math.max(nameWidth, p.name().length());
            envWidth = Math.max(envWidth, p.env().length());
            algoWidth = Math.max(algoWidth, p.algo().length());
        }
        String format = "%-" + nameWidth + "s  %-" + envWidth + "s  %-" + algoWidth + "s  %s%n";
        out.printf(format, "NAME", "ENV", "ALGO", "SOURCE");
        for (Preset p : presets) {
            if ((env == null || env.equals(p.env())) && (algo == null || algo.equals(p.algo()))) {
                out.printf(format, p.name(), p.env(), p.algo(), p.source() == null ? "" : p.source());
            }
        }
        out.println();
        out.println("Show one with 'deepq presets show NAME'; train with 'deepq train --preset NAME'.");
        out.println("The default for an env and algorithm is its RL Zoo preset (ALGO-ENV), else CleanRL's (ALGO-ENV-cleanrl).");
    }

    /** {@code deepq presets show NAME}: the preset's YAML as shipped. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one preset's YAML.")
    static final class Show implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "Preset name (see 'deepq presets').")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Preset p = Presets.shipped().get(name);
            if (p == null) {
                throw new Main.UserException("NAME: unknown preset '" + name + "'; valid: "
                        + String.join(", ", Presets.shipped().keySet()));
            }
            spec.commandLine().getOut().print(p.text().endsWith("\n") ? p.text() : p.text() + "\n");
        }
    }
}
