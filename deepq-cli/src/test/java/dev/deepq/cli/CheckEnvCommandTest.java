package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Env;
import dev.deepq.env.spaces.Discrete;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckEnvCommandTest {

    /** A correct user env: a coin flip, one step per episode. */
    public static final class GoodEnv extends Env {
        public GoodEnv() {
            super(new Discrete(2), new Discrete(2));
        }

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            observation[0] = rng().random() < 0.5 ? 0 : 1;
        }

        @Override
        protected void stepEnv(int action) {
            observation[0] = rng().random() < 0.5 ? 0 : 1;
            result.set(action == observation[0] ? 1 : 0, true, false);
        }
    }

    /** An env whose observations leave its space. */
    public static final class BadEnv extends Env {
        public BadEnv() {
            super(new Discrete(2), new Discrete(2));
        }

        @Override
        protected void resetEnv(boolean seeded, long seed) {
            observation[0] = 5;
        }

        @Override
        protected void stepEnv(int action) {
            observation[0] = 5;
            result.set(0, true, false);
        }
    }

    @Test
    void aCorrectEnvPasses() {
        CliTest.Run r = CliTest.run("check-env", GoodEnv.class.getName());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("passed");
    }

    @Test
    void aBrokenEnvFailsWithExitOneAndSaysWhy() {
        CliTest.Run r = CliTest.run("check-env", BadEnv.class.getName());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED").contains("observation");
    }

    @Test
    void builtInEnvsPass() {
        assertThat(CliTest.run("check-env", "dev.deepq.env.classic.CartPole").code()).isZero();
    }

    @Test
    void missingClassIsReported() {
        CliTest.Run r = CliTest.run("check-env", "com.example.NoSuchEnv");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("com.example.NoSuchEnv");
    }

    @Test
    void classpathEntriesAreChecked(@TempDir Path dir) {
        CliTest.Run missing = CliTest.run("check-env", "--classpath", dir.resolve("nope.jar").toString(), "x.Y");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--classpath entry").contains("does not exist");
        CliTest.Run badSteps = CliTest.run("check-env", "--steps", "0", GoodEnv.class.getName());
        assertThat(badSteps.code()).isEqualTo(2);
        assertThat(badSteps.err()).contains("--steps must be in");
    }
}
