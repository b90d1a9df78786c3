package dev.deepq.cli;

import dev.deepq.env.check.EnvCheckOptions;
import dev.deepq.env.check.EnvCheckReport;
import dev.deepq.env.check.EnvChecker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code deepq check-env CLASS}: runs the env checker on a user's {@code Env} class. Exit 0 when it passes (warnings
 * allowed), 1 when the env breaks the contract, 2 for a usage error.
 */
@Command(name = "check-env", mixinStandardHelpOptions = true,
        description = "Check a user's Env class (public, with a public no-arg constructor) against the env contract.")
final class CheckEnvCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CLASS", description = "Fully qualified class name, e.g. com.example.MyEnv.")
    String className;

    @Option(names = {"--classpath", "-cp"}, paramLabel = "PATHS",
            description = "Jars or class directories holding the class, separated by the platform path separator (':' on Linux).")
    String classpath;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the checked episodes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", defaultValue = "300", description = "Steps per checked rollout (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--no-render", description = "Do not call the env's render methods.")
    boolean noRender;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EnvCheckOptions options;
        try {
            options = new EnvCheckOptions(seed, steps, !noRender);
        } catch (IllegalArgumentException e) {
            throw new Main.UserException(e.getMessage().replace("EnvCheckOptions: ", "--"));
        }
        EnvCheckReport report;
        if (classpath == null) {
            report = EnvChecker.checkClass(className, Thread.currentThread().getContextClassLoader(), options);
        } else {
            try (URLClassLoader loader = new URLClassLoader(urls(classpath), getClass().getClassLoader())) {
                report = EnvChecker.checkClass(className, loader, options);
            }
        }
        spec.commandLine().getOut().println(report);
        return report.passed() ? 0 : 1;
    }

    private static URL[] urls(String classpath) {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                throw new Main.UserException("--classpath entry '" + entry + "' does not exist");
            }
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new Main.UserException("--classpath entry '" + entry + "' is not a valid path", e);
            }
        }
        return urls.toArray(URL[]::new);
    }
}
