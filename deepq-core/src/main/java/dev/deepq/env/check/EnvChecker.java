package dev.deepq.env.check;

import dev.deepq.env.Env;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Runs an environment through its contract and reports every violation, in the spirit of Stable-Baselines3's
 * {@code check_env}: use it on a new env before training on it.
 *
 * <p>What is checked: the spaces and the observation size; that {@code reset(seed)} and every step return
 * observations inside the observation space with no NaN or infinity, and finite rewards; that the env is a function
 * of its seed and the actions (two runs with the same seed and actions are identical, while a different seed usually
 * changes something); that {@code reset()} without a seed continues the seeded stream reproducibly; that stepping
 * after the end of an episode is refused and {@code reset()} starts a new one; action masks (one entry per action, at
 * least one valid action); and the render methods the env claims to support. Every loop is bounded by
 * {@link EnvCheckOptions#steps()}, so an env whose episodes never end cannot make the checker hang.
 *
 * <pre>{@code
 * EnvCheckReport report = EnvChecker.check(new MyEnv());
 * System.out.println(report);          // one line per problem, each saying what is wrong and how to fix it
 * EnvChecker.checkOrThrow(new MyEnv()); // or fail fast
 * }</pre>
 *
 * <p>The checker calls {@code reset} and {@code step} on the env it is given (leaving it mid-episode) and does not
 * close it; {@link #checkClass} creates its own instance and closes it.
 */
public final class EnvChecker {
    private EnvChecker() {}

    /** Checks {@code env} with {@link EnvCheckOptions#defaults()}. */
    public static EnvCheckReport check(Env env) {
        return check(env, EnvCheckOptions.defaults());
    }

    /** Checks {@code env}; never throws for a problem of the env (that is what the report is for). */
    public static EnvCheckReport check(Env env, EnvCheckOptions options) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(options, "options");
        return new CheckRun(env, options).run();
    }

    /** Checks {@code env} and throws {@link EnvCheckException} if it has errors; returns the report otherwise. */
    public static EnvCheckReport checkOrThrow(Env env) {
        return checkOrThrow(env, EnvCheckOptions.defaults());
    }

    /** Checks {@code env} and throws {@link EnvCheckException} if it has errors; returns the report otherwise. */
    public static EnvCheckReport checkOrThrow(Env env, EnvCheckOptions options) {
        return throwIfFailed(check(env, options));
    }

    /**
     * Loads a user's env class by its fully qualified name from the context class loader (falling back to this
     * class's loader), instantiates it through its public no-argument constructor, checks it and closes it. Problems
     * with the class itself (not found, not an {@link Env}, no public no-argument constructor, the constructor
     * throwing) are reported as {@link Problem.Kind#CLASS_LOADING} errors.
     */
    public static EnvCheckReport checkClass(String className) {
        return checkClass(className, EnvCheckOptions.defaults());
    }

    /** As {@link #checkClass(String)}, with options. */
    public static EnvCheckReport checkClass(String className, EnvCheckOptions options) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return checkClass(className, loader != null ? loader : EnvChecker.class.getClassLoader(), options);
    }

    /** As {@link #checkClass(String)}, loading from the given class loader. */
    public static EnvCheckReport checkClass(String className, ClassLoader loader, EnvCheckOptions options) {
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(options, "options");
        String name = className == null ? "" : className.trim();
        if (name.isEmpty()) {
            return classProblem("(no class name)", "no class name given: pass the fully qualified name of a class that"
                    + " extends " + Env.class.getName() + ", e.g. com.example.MyEnv");
        }
        Env env;
        try {
            env = instantiate(name, loader);
        } catch (ClassProblem e) {
            return classProblem(name, e.getMessage());
        }
        EnvCheckReport report = check(env, options);
        try {
            env.close();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            List<Problem> problems = new ArrayList<>(report.problems());
            problems.add(new Problem(Problem.Severity.ERROR, Problem.Kind.CLOSE, report.envName() + ": close() threw "
                    + CheckRun.describe(e) + "; closeEnv() must release resources without failing"));
            report = new EnvCheckReport(report.envName(), problems, report.stepsTaken());
        }
        return report;
    }

    /** As {@link #checkClass(String)}, throwing {@link EnvCheckException} if the class or the env has errors. */
    public static EnvCheckReport checkClassOrThrow(String className) {
        return throwIfFailed(checkClass(className));
    }

    private static EnvCheckReport throwIfFailed(EnvCheckReport report) {
        if (!report.passed()) {
            throw new EnvCheckException(report);
        }
        return report;
    }

    private static EnvCheckReport classProblem(String name, String message) {
        return new EnvCheckReport(name, List.of(new Problem(Problem.Severity.ERROR, Problem.Kind.CLASS_LOADING, message)), 0);
    }

    /** Why a class could not be turned into an env; the message is the user-facing explanation. */
    private static final class ClassProblem extends Exception {
        private static final long serialVersionUID = 1L;

        ClassProblem(String message) {
            super(message, null, false, false);
        }
    }

    private static Env instantiate(String name, ClassLoader loader) throws ClassProblem {
        Class<?> type;
        try {
            type = Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ClassProblem("class '" + name + "' was not found on the classpath" + nameHint(name)
                    + ": give the fully qualified name (package and class, e.g. com.example.MyEnv) and make sure the"
                    + " jar or directory holding it is on the classpath");
        } catch (ExceptionInInitializerError e) {
            throw new ClassProblem("class '" + name + "' could not be initialised: its static initialiser threw "
                    + CheckRun.describe(e.getCause() != null ? e.getCause() : e));
        } catch (LinkageError e) {
            throw new ClassProblem("class '" + name + "' could not be loaded: " + CheckRun.describe(e)
                    + " (a class it depends on is probably missing from the classpath)");
        }
        if (!Env.class.isAssignableFrom(type)) {
            throw new ClassProblem("class " + name + " is not an environment: it does not extend " + Env.class.getName()
                    + " (its superclass is " + (type.getSuperclass() == null ? "none" : type.getSuperclass().getName())
                    + "); environments must extend Env and implement resetEnv and stepEnv");
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new ClassProblem("class " + name + " is abstract and cannot be instantiated: check a concrete subclass");
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            throw new ClassProblem("class " + name + " is an inner (non-static) class, so it cannot be created without an"
                    + " instance of " + type.getEnclosingClass().getName() + ": declare it static");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new ClassProblem("class " + name + " is not public, so it cannot be instantiated from outside its"
                    + " package: declare it public");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new ClassProblem("class " + name + " has no public no-argument constructor (" + publicConstructors(type)
                    + "): add one, e.g. public " + type.getSimpleName() + "() { this(/* defaults */); }, or register"
                    + " a factory with Envs.register and check Envs.make(id) instead");
        }
        try {
            return (Env) constructor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ClassProblem("the no-argument constructor of " + name + " threw " + CheckRun.describe(cause)
                    + "; it must build a usable env (a null observation or action space also fails here)");
        } catch (InstantiationException | IllegalAccessException e) {
            throw new ClassProblem("class " + name + " could not be instantiated: " + CheckRun.describe(e));
        } catch (ExceptionInInitializerError e) {
            throw new ClassProblem("class " + name + " could not be initialised: its static initialiser threw "
                    + CheckRun.describe(e.getCause() != null ? e.getCause() : e));
        }
    }

    private static String nameHint(String name) {
        if (name.endsWith(".java") || name.endsWith(".class")) {
            return " (give the class name, not a file name)";
        }
        if (name.contains("/") || name.contains("\\")) {
            return " (give a class name with dots, not a path)";
        }
        if (!name.contains(".")) {
            return " (the name has no package: classes in the default package cannot be found this way unless they"
                    + " really are in it)";
        }
        return "";
    }

    private static String publicConstructors(Class<?> type) {
        Constructor<?>[] constructors = type.getConstructors();
        if (constructors.length == 0) {
            return "it has no public constructor at all";
        }
        StringJoiner all = new StringJoiner("; ", "its public constructors are: ", "");
        for (Constructor<?> c : constructors) {
            StringJoiner params = new StringJoiner(", ", type.getSimpleName() + "(", ")");
            for (Class<?> p : c.getParameterTypes()) {
                params.add(p.getSimpleName());
            }
            all.add(params.toString());
        }
        return all.toString();
    }
}
