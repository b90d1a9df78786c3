package dev.deepq.env.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.check.CheckerTestEnvs.GoodEnv;
import dev.deepq.env.classic.CartPole;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checker passes correct envs (a test env, CartPole, every registered env) and, for every kind of failure, finds
 * it in a deliberately broken env with a message that names the env, the problem and the fix.
 */
class EnvCheckerTest {
    private static final EnvCheckOptions QUICK = EnvCheckOptions.defaults().withSteps(200);

    private static EnvCheckReport check(Env env) {
        return EnvChecker.check(env, QUICK);
    }

    private static Problem onlyError(EnvCheckReport report, Problem.Kind kind) {
        assertThat(report.passed()).as("report:\n%s", report).isFalse();
        List<Problem> errors = report.errors();
        assertThat(errors).as("errors:\n%s", report).hasSize(1);
        assertThat(errors.get(0).kind()).as("kind of\n%s", report).isEqualTo(kind);
        return errors.get(0);
    }

    @Nested
    class CorrectEnvs {
        @Test
        void aCorrectEnvPassesWithoutWarnings() {
            EnvCheckReport report = check(new GoodEnv());
            assertThat(report.problems()).as("%s", report).isEmpty();
            assertThat(report.passed()).isTrue();
            assertThat(report.toString()).startsWith("env check of GoodEnv: passed");
            assertThat(report.stepsTaken()).isPositive();
        }

        @Test
        void aCorrectMaskedEnvPasses() {
            EnvCheckReport report = check(new CheckerTestEnvs.Masked());
            assertThat(report.problems()).as("%s", report).isEmpty();
        }

        @Test
        void builtInCartPolePasses() {
            assertThat(EnvChecker.check(new CartPole()).problems()).isEmpty();
            EnvCheckReport made = EnvChecker.checkOrThrow(Envs.make("CartPole-v1"));
            assertThat(made.envName()).isEqualTo("CartPole-v1");
            assertThat(made.problems()).as("%s", made).isEmpty();
        }

        @Test
        void checkOrThrowReturnsTheReportOfAPassingEnv() {
            assertThat(EnvChecker.checkOrThrow(new GoodEnv(), QUICK).passed()).isTrue();
        }
    }

    static List<String> registeredIds() {
        return Envs.ids();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registeredIds")
    void everyRegisteredEnvHasNoErrors(String id) {
        try (Env env = Envs.make(id)) {
            EnvCheckReport report = EnvChecker.check(env, QUICK);
            assertThat(report.errors()).as("%s", report).isEmpty();
        }
    }

    @Nested
    class ObservationsAndRewards {
        @Test
        void observationOutsideTheSpace() {
            Problem p = onlyError(check(new CheckerTestEnvs.ObservationOutsideSpace()), Problem.Kind.OBSERVATION);
            assertThat(p.message())
                    .startsWith("ObservationOutsideSpace: ")
                    .contains("(step 2 of episode 1) returned an observation outside the observation space Box(-10.0, 10.0, (2,), float32)")
                    .contains("element 1 = 20.0 is above its high bound 10.0")
                    .contains("clip them")
                    .contains("seen ");
        }

        @Test
        void nanObservationNamesTheElement() {
            Problem p = onlyError(check(new CheckerTestEnvs.NaNObservation()), Problem.Kind.OBSERVATION);
            assertThat(p.message()).contains("(step 3 of episode 1) returned an observation with NaN or infinite values")
                    .contains("element 0 is NaN").contains("division by zero");
        }

        @Test
        void infiniteRewardIsAnError() {
            Problem p = onlyError(check(new CheckerTestEnvs.InfiniteReward()), Problem.Kind.REWARD);
            assertThat(p.message()).contains("(step 2 of episode 1) returned reward Infinity")
                    .contains("rewards must be finite");
        }

        @Test
        void observationLongerThanTheSpace() {
            Problem p = onlyError(check(new CheckerTestEnvs.ObservationTooLong()), Problem.Kind.RESET);
            assertThat(p.message()).contains("reset(seed=0) threw ArrayIndexOutOfBoundsException")
                    .contains("ObservationTooLong.writeObservation")
                    .contains("writing observation element 2 while its observation space Box(-10.0, 10.0, (2,), float32)"
                            + " has only 2 elements");
        }

        @Test
        void observationShorterThanTheSpace() {
            Problem p = onlyError(check(new CheckerTestEnvs.ObservationTooShort()), Problem.Kind.OBSERVATION);
            assertThat(p.message()).contains("reset(seed=0) did not write observation element 2 (of 3)")
                    .contains("observation space Box(-10.0, 10.0, (3,), float32) is larger than the observation");
        }
    }

    @Nested
    class Spaces {
        @Test
        void anActionSpaceTheEnvDoesNotImplement() {
            Problem p = onlyError(check(new CheckerTestEnvs.WrongActionOverload()), Problem.Kind.STEP);
            assertThat(p.message()).contains("threw UnsupportedOperationException")
                    .contains("does not support its own action space Box(-1.0, 1.0, (1,), float32): override stepEnv(double[])");
        }

        @Test
        void anUnboundedActionSpaceIsAWarning() {
            EnvCheckReport report = check(new CheckerTestEnvs.UnboundedActions());
            assertThat(report.passed()).as("%s", report).isTrue();
            assertThat(report.warnings()).singleElement().satisfies(w -> {
                assertThat(w.kind()).isEqualTo(Problem.Kind.SPACES);
                assertThat(w.message()).contains("the action space Box(-inf, inf, (2,), float32) is unbounded in element 0");
            });
        }
    }

    @Nested
    class Seeding {
        @Test
        void nonDeterministicResetIsAnError() {
            Problem p = onlyError(check(new CheckerTestEnvs.NonDeterministicReset()), Problem.Kind.DETERMINISM);
            assertThat(p.message()).contains("two runs of reset(seed=0) followed by the same 200 actions differ")
                    .contains("at reset(seed=0) observation element 0 was")
                    .contains("draw every random number from rng()");
        }

        @Test
        void aGeneratorOfItsOwnMakesRunsDiffer() {
            Problem p = onlyError(check(new CheckerTestEnvs.OwnGenerator()), Problem.Kind.DETERMINISM);
            assertThat(p.message()).contains("never from Math.random(), a Random of its own");
        }

        @Test
        void ignoringTheSeedIsAWarning() {
            EnvCheckReport report = check(new CheckerTestEnvs.SeedIgnoring());
            assertThat(report.passed()).as("%s", report).isTrue();
            assertThat(report.warnings()).singleElement().satisfies(w -> {
                assertThat(w.kind()).isEqualTo(Problem.Kind.SEEDING);
                assertThat(w.message()).contains("reset(seed=0) and reset(seed=1) produced identical runs")
                        .contains("the env ignores the seed");
            });
        }

        @Test
        void unseededResetThatRestartsIsAWarning() {
            EnvCheckReport report = check(new CheckerTestEnvs.UnseededResetRestarts());
            assertThat(report.passed()).as("%s", report).isTrue();
            assertThat(report.warnings()).singleElement().satisfies(w -> {
                assertThat(w.kind()).isEqualTo(Problem.Kind.SEEDING);
                assertThat(w.message()).contains("3 unseeded reset() calls after reset(seed=0) all restarted")
                        .contains("should continue the stream of rng()");
            });
        }

        @Test
        void theSeedOptionIsUsed() {
            EnvCheckReport report = EnvChecker.check(new CheckerTestEnvs.SeedIgnoring(), QUICK.withSeed(41));
            assertThat(report.warnings()).singleElement()
                    .satisfies(w -> assertThat(w.message()).contains("reset(seed=41) and reset(seed=42)"));
        }
    }

    @Nested
    class EpisodesMasksAndRendering {
        @Test
        void anEnvThatNeverEndsDoesNotHangTheChecker() {
            EnvCheckReport report = EnvChecker.check(new CheckerTestEnvs.NeverEnds(), QUICK.withSteps(50));
            assertThat(report.passed()).isTrue();
            assertThat(report.warnings()).singleElement().satisfies(w -> {
                assertThat(w.kind()).isEqualTo(Problem.Kind.EPISODE_END);
                assertThat(w.message()).contains("no episode ended within 50 steps");
            });
            // three rollouts, the episode-end search and a few rendering steps, all bounded by the budget
            assertThat(report.stepsTaken()).isLessThanOrEqualTo(4 * 50 + 3);
        }

        @Test
        void maskOfTheWrongLength() {
            Problem p = onlyError(check(new CheckerTestEnvs.ShrinkActions(new CheckerTestEnvs.Masked())),
                    Problem.Kind.ACTION_MASK);
            assertThat(p.message()).contains("after reset(seed=0) the action mask has 4 entries but the action space"
                    + " Discrete(3) has 3 actions").contains("must also provide its own mask");
        }

        @Test
        void maskWithoutAnyValidAction() {
            Problem p = onlyError(check(new CheckerTestEnvs.MaskAllFalse()), Problem.Kind.ACTION_MASK);
            assertThat(p.message()).contains("(step 2 of episode 1) the action mask allows no action at all");
        }

        @Test
        void textRenderThatThrows() {
            Problem p = onlyError(check(new CheckerTestEnvs.TextRenderThrows()), Problem.Kind.RENDER);
            assertThat(p.message()).contains("renderText() threw IllegalStateException: no font loaded")
                    .contains("after step 1").contains("supportsTextRender() is true");
        }

        @Test
        void rgbFramesThatChangeSize() {
            Problem p = onlyError(check(new CheckerTestEnvs.RgbSizeChanges()), Problem.Kind.RENDER);
            assertThat(p.message()).contains("renderRgb() frames change size: 16x4 after reset(seed=0), 16x5 after step 1");
        }

        @Test
        void renderingCanBeSkipped() {
            assertThat(EnvChecker.check(new CheckerTestEnvs.RgbSizeChanges(), QUICK.withRender(false)).problems()).isEmpty();
        }

        @Test
        void resetThatThrowsStopsTheCheckWithTheLocation() {
            Problem p = onlyError(check(new CheckerTestEnvs.ResetThrows()), Problem.Kind.RESET);
            assertThat(p.message()).contains("reset(seed=0) threw IllegalStateException: level file missing")
                    .contains("(at " + CheckerTestEnvs.ResetThrows.class.getName() + ".resetEnv(");
        }

        @Test
        void checkOrThrowCarriesTheProblems() {
            assertThatThrownBy(() -> EnvChecker.checkOrThrow(new CheckerTestEnvs.InfiniteReward(), QUICK))
                    .isInstanceOfSatisfying(EnvCheckException.class, e -> {
                        assertThat(e.problems()).extracting(Problem::kind).containsExactly(Problem.Kind.REWARD);
                        assertThat(e.report().passed()).isFalse();
                        assertThat(e.getMessage()).contains("FAILED with 1 error").contains("reward Infinity");
                    });
        }
    }

    @Nested
    class ClassLoading {
        private Problem classError(String className) {
            EnvCheckReport report = EnvChecker.checkClass(className, QUICK);
            return onlyError(report, Problem.Kind.CLASS_LOADING);
        }

        private String nested(String simpleName) {
            return CheckerTestEnvs.class.getName() + "$" + simpleName;
        }

        @Test
        void aGoodClassIsLoadedCheckedAndPasses() {
            EnvCheckReport report = EnvChecker.checkClass(GoodEnv.class.getName(), QUICK);
            assertThat(report.problems()).as("%s", report).isEmpty();
            assertThat(EnvChecker.checkClass(CartPole.class.getName()).passed()).isTrue();
        }

        @Test
        void aBrokenClassIsCheckedLikeAnInstance() {
            EnvCheckReport report = EnvChecker.checkClass(nested("InfiniteReward"), QUICK);
            assertThat(report.errors()).extracting(Problem::kind).containsExactly(Problem.Kind.REWARD);
        }

        @Test
        void classNotFound() {
            assertThat(classError("com.example.NoSuchEnv").message())
                    .contains("class 'com.example.NoSuchEnv' was not found on the classpath")
                    .contains("fully qualified name");
            assertThat(classError("com/example/MyEnv").message()).contains("not a path");
            assertThat(classError("MyEnv.java").message()).contains("not a file name");
            assertThat(classError(" ").message()).contains("no class name given");
        }

        @Test
        void notAnEnv() {
            assertThat(classError(nested("NotAnEnv")).message())
                    .contains("is not an environment: it does not extend dev.deepq.env.Env")
                    .contains("its superclass is java.lang.Object");
            assertThat(classError("java.lang.String").message()).contains("is not an environment");
        }

        @Test
        void noPublicNoArgumentConstructor() {
            assertThat(classError(nested("NeedsArguments")).message())
                    .contains("has no public no-argument constructor (its public constructors are: NeedsArguments(int, double))")
                    .contains("public NeedsArguments()");
        }

        @Test
        void constructorThrowing() {
            assertThat(classError(nested("ConstructorThrows")).message())
                    .contains("the no-argument constructor of " + nested("ConstructorThrows")
                            + " threw IllegalArgumentException: map file 'level1.txt' not found")
                    .contains("(at " + nested("ConstructorThrows") + ".<init>(");
        }

        @Test
        void abstractHiddenInnerAndUninitialisableClasses() {
            assertThat(classError(nested("AbstractEnv")).message()).contains("is abstract");
            assertThat(classError(nested("HiddenEnv")).message()).contains("is not public");
            assertThat(classError(nested("InnerEnv")).message()).contains("inner (non-static) class").contains("static");
            assertThat(classError(nested("BrokenStaticInit")).message())
                    .contains("could not be initialised: its static initialiser threw NumberFormatException");
        }
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> EnvCheckOptions.defaults().withSteps(0)).hasMessageContaining("steps must be in [1, ");
        assertThatThrownBy(() -> EnvCheckOptions.defaults().withSeed(-1)).hasMessageContaining("seed must be in [0, ");
    }
}
