package dev.deepq.nn;

import java.util.Locale;

/**
 * Chooses the process-wide {@link Kernels} once, the way Lucene's {@code VectorizationProvider} does: use the
 * Vector API kernels when the JVM can run them fast, otherwise log one warning that says what to do and use the
 * scalar kernels. The system property {@value #PROPERTY} ({@code auto} | {@code vector} | {@code scalar}) forces
 * the choice; {@code vector} fails loudly when the Vector API cannot be used. The system property
 * {@value #THREADS_PROPERTY} (default 1) makes the vector kernels split each large matrix product over that many
 * threads ({@link Kernels#parallel(int)}); results do not depend on it.
 */
final class KernelSelection {
    static final String PROPERTY = "deepq.kernels";
    static final String THREADS_PROPERTY = "deepq.threads";
    static final int MAX_THREADS = 64;
    static final String MODULE = "jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger(Kernels.class.getName());
    private static final Object LOCK = new Object();
    private static volatile Kernels selected;
    /** One parallel instance per thread count, so that each keeps one set of helper threads. */
    private static final Kernels[] PARALLEL = new Kernels[MAX_THREADS + 1];

    private KernelSelection() {}

    static Kernels selected() {
        Kernels k = selected;
        if (k == null) {
            synchronized (LOCK) {
                k = selected;
                if (k == null) {
                    k = select(System.getProperty(PROPERTY), System.getProperty(THREADS_PROPERTY));
                    LOG.log(System.Logger.Level.DEBUG, "deepq kernels: {0}", k.name());
                    selected = k;
                }
            }
        }
        return k;
    }

    /** The choice for given values of {@value #PROPERTY} and {@value #THREADS_PROPERTY} (null: the defaults). */
    static Kernels select(String property, String threadsProperty) {
        int threads = parseThreads(threadsProperty);
        Kernels k = select(property);
        return threads > 1 && k != Kernels.scalar() ? parallel(threads) : k;
    }

    private static int parseThreads(String value) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1 && threads <= MAX_THREADS) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + THREADS_PROPERTY + "=" + value
                + " is not valid; use a whole number of threads from 1 to " + MAX_THREADS);
    }

    /** The vector kernels on {@code threads} threads (see {@link Kernels#parallel(int)}). */
    static Kernels parallel(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be from 1 to " + MAX_THREADS + ", got " + threads);
        }
        Kernels single = vectorOrThrow();
        if (threads == 1) {
            return single;
        }
        synchronized (PARALLEL) {
            if (PARALLEL[threads] == null) {
                PARALLEL[threads] = VectorProbe.withThreads(threads);
            }
            return PARALLEL[threads];
        }
    }

    /** The choice for a given value of {@value #PROPERTY} (null means auto). */
    static Kernels select(String property) {
        String mode = property == null ? "auto" : property.trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "scalar":
                return Kernels.scalar();
            case "vector":
                return vectorOrThrow();
            case "auto":
            case "":
                String problem = vectorProblem();
                if (problem == null) {
                    return VectorProbe.INSTANCE;
                }
                LOG.log(System.Logger.Level.WARNING, "deepq uses its slower scalar kernels: " + problem);
                return Kernels.scalar();
            default:
                throw new IllegalArgumentException("system property " + PROPERTY + "=" + property
                        + " is not valid; use auto, vector or scalar");
        }
    }

    static Kernels vectorOrThrow() {
        String problem = vectorProblem();
        if (problem != null) {
            throw new IllegalStateException("the Vector API kernels cannot run: " + problem);
        }
        return VectorProbe.INSTANCE;
    }

    /** Null when the vector kernels can run here, else why not and what to do. */
    static String vectorProblem() {
        return VectorProbe.PROBLEM;
    }

    /** Probed on first use only, so the scalar path never touches the Vector API. */
    private static final class VectorProbe {
        static final String PROBLEM;
        static final Kernels INSTANCE;

        static {
            String problem = environmentProblem();
            Kernels instance = null;
            if (problem == null) {
                try {
                    instance = (Kernels) Class.forName("dev.deepq.nn.VectorKernels")
                            .getDeclaredConstructor().newInstance();
                    problem = KernelSelfTest.compare(instance, Kernels.scalar());
                } catch (java.lang.reflect.InvocationTargetException e) {
                    problem = String.valueOf(e.getCause().getMessage());
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    problem = "the Vector API kernels failed to start on this JVM (" + e
                            + "); please report it with the output of 'java -version'";
                }
            }
            PROBLEM = problem;
            INSTANCE = problem == null ? instance : null;
        }

        /** A vector-kernel instance on {@code threads} threads (by reflection, like {@link #INSTANCE}). */
        static Kernels withThreads(int threads) {
            try {
                return (Kernels) Class.forName("dev.deepq.nn.VectorKernels").getDeclaredConstructor(int.class)
                        .newInstance(threads);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the Vector API kernels failed to start on " + threads
                        + " threads (" + e + ")", e);
            }
        }

        private static String environmentProblem() {
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                return "the Java module " + MODULE + " is not readable. For several times faster training,"
                        + " start java with '--add-modules " + MODULE + "' (the deepq launcher does;"
                        + " for other programs add it to the java command line or to JDK_JAVA_OPTIONS).";
            }
            String vmInfo = System.getProperty("java.vm.info", "");
            if (vmInfo.contains("emulated-client") || vmInfo.contains("interpreted mode")) {
                return "the JVM runs without its optimizing C2 compiler (" + vmInfo + "), which makes the Vector"
                        + " API slower than plain loops; remove -XX:TieredStopAtLevel / -Xint / -client options.";
            }
            return null;
        }
    }
}
