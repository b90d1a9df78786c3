package dev.deepq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * The {@code deepq} command. A user error (unknown env, bad option value, unreadable file) exits with code 2 and one
 * message naming the problem; {@code --debug} adds the stack trace.
 */
@Command(name = "deepq",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Deep Q-learning for the JVM.",
        subcommands = {TrainCommand.class, ResumeCommand.class, EvalCommand.class, EnjoyCommand.class, PresetsCommand.class, EnvsCommand.class,
                RandomCommand.class, CheckEnvCommand.class, StatsCommand.class, CompareCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for a user error: bad input, not a bug. */
    public static final int USER_ERROR = 2;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces for errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** True when the command writes to the process's own stdout/stderr (so a terminal progress bar may be drawn). */
    private static volatile boolean processStreams;

    public static void main(String[] args) {
        processStreams = true;
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Whether commands print to the process's stdout/stderr rather than to captured writers. */
    static boolean usesProcessStreams() {
        return processStreams;
    }

    /** Runs the command line with the given streams; returns the exit code (for tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        // Plots and GIF frames are drawn off-screen; no display is needed or wanted.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.addSubcommand("sweep", sweepCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean userError = ex instanceof IllegalArgumentException || ex instanceof UserException;
            commandLine.getErr().println("deepq: error: " + ex.getMessage());
            if (main.debug || !userError) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return userError ? USER_ERROR : 1;
        });
        // A mistyped option or value: one line naming it and where help is, not the whole usage text.
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter e = cmd.getErr();
            String suggestion = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
                suggestion = "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
            }
            e.println("deepq: error: " + ex.getMessage() + suggestion + " (see '" + cmd.getCommandSpec().qualifiedName()
                    + " --help')");
            if (main.debug) {
                ex.printStackTrace(e);
            }
            e.flush();
            return USER_ERROR;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The Spark sweep command when deepq-spark and Spark are on the class path, else one saying how to get them. */
    static Object sweepCommand() {
        ClassLoader loader = Main.class.getClassLoader();
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, loader);
            return Class.forName("dev.deepq.spark.SweepCommand", true, loader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError absent) {
            return new SweepUnavailableCommand();
        }
    }

    /** A problem with what the user asked for, reported without a stack trace. */
    public static final class UserException extends RuntimeException {
        public UserException(String message) {
            super(message);
        }

        public UserException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String commit = BuildInfo.gitCommit();
            return new String[] {"deepq " + BuildInfo.version()
                    + (BuildInfo.UNKNOWN.equals(commit) ? "" : " (commit " + commit.substring(0, Math.min(12, commit.length()))
                    + ("true".equals(BuildInfo.gitDirty()) ? ", with uncommitted changes" : "") + ")"),
                    "JVM: " + BuildInfo.jvm()};
        }
    }
}
