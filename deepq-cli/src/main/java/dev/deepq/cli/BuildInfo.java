package dev.deepq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What a run folder records about the software and machine: deepq's version and git commit (from
 * {@code build.properties}, written at build time by the git-commit-id plugin; "unknown" for builds outside a git
 * checkout), the JVM, the OS and the CPU.
 */
final class BuildInfo {
    static final String UNKNOWN = "unknown";
    private static final Properties BUILD = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no build information: every field reads "unknown"
        }
        return p;
    }

    private static String build(String key) {
        String v = BUILD.getProperty(key);
        return v == null || v.isBlank() ? UNKNOWN : v.strip();
    }

    static String version() {
        String fromManifest = BuildInfo.class.getPackage().getImplementationVersion();
        String fromBuild = build("git.build.version");
        return !UNKNOWN.equals(fromBuild) ? fromBuild : fromManifest == null ? UNKNOWN : fromManifest;
    }

    static String gitCommit() {
        return build("git.commit.id.full");
    }

    /** "true", "false" or "unknown": whether the working tree had uncommitted changes when the jar was built. */
    static String gitDirty() {
        return build("git.dirty");
    }

    static String jvm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    /** The CPU model from /proc/cpuinfo on Linux, else the architecture. */
    static String cpu() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).strip();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // fall through to the architecture
            }
        }
        return System.getProperty("os.arch");
    }

    /** Software and machine facts for {@code config.yaml}. */
    static Map<String, Object> provenance() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deepq_version", version());
        m.put("git_commit", gitCommit());
        m.put("git_dirty", gitDirty());
        m.put("jvm", jvm());
        m.put("java_version", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpu", cpu());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return m;
    }
}
