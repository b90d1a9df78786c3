package dev.deepq.env.toytext;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepq.env.Env;
import dev.deepq.env.Envs;
import dev.deepq.env.StepResult;
import dev.deepq.env.wrappers.TimeLimit;
import dev.deepq.random.Rng;
import org.junit.jupiter.api.Test;

class CliffWalkingTest {
    private static final String OPEN_ROW = "o  o  o  o  o  o  o  o  o  o  o  o\n";

    @Test
    void makeAppliesNoTimeLimit() {
        Env env = Envs.make("CliffWalking-v0");
        assertThat(env).isNotInstanceOf(TimeLimit.class).isInstanceOf(CliffWalking.class);
        assertThat(env.unwrapped()).isSameAs(env);
        assertThat(env.spec().maxEpisodeSteps()).isNull();
        assertThat(env.spec().rewardThreshold()).isNull();
        env.reset(0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(env.step(CliffWalking.UP).done()).isFalse();
        }
    }

    @Test
    void theCliffCostsAHundredAndSendsBackToTheStartWithoutEnding() {
        CliffWalking env = new CliffWalking();
        assertThat(env.reset(3).discreteObservation()).isEqualTo(CliffWalking.START_STATE);
        StepResult r = env.step(CliffWalking.RIGHT);
        assertThat(r.reward()).isEqualTo(-100.0);
        assertThat(r.terminated()).isFalse();
        assertThat(r.discreteObservation()).isEqualTo(CliffWalking.START_STATE);
        assertThat(r.info().get("prob")).isEqualTo(1.0);
    }

    @Test
    void theGoalTerminatesAfterTheWalkAroundTheCliff() {
        CliffWalking env = new CliffWalking();
        env.reset(0);
        double total = env.step(CliffWalking.UP).reward();
        for (int i = 0; i < 11; i++) {
            total += env.step(CliffWalking.RIGHT).reward();
        }
        StepResult r = env.step(CliffWalking.DOWN);
        total += r.reward();
        assertThat(r.terminated()).isTrue();
        assertThat(r.discreteObservation()).isEqualTo(CliffWalking.GOAL_STATE);
        assertThat(total).isEqualTo(-13.0);
    }

    @Test
    void everyResetAndStepTakesOneDraw() {
        CliffWalking env = new CliffWalking();
        env.reset(5);
        env.step(CliffWalking.UP);
        env.step(CliffWalking.LEFT);
        Rng reference = Rng.seeded(5);
        for (int i = 0; i < 3; i++) {
            reference.random();
        }
        assertThat(env.rng().random()).isEqualTo(reference.random());
    }

    @Test
    void rendersLikeGymnasiumsAnsiMode() {
        CliffWalking env = new CliffWalking();
        env.reset(0);
        assertThat(env.renderText()).isEqualTo(OPEN_ROW + OPEN_ROW + OPEN_ROW
                + "x  C  C  C  C  C  C  C  C  C  C  T\n\n");
        env.step(CliffWalking.UP);
        env.step(CliffWalking.RIGHT);
        assertThat(env.renderText()).isEqualTo(OPEN_ROW + OPEN_ROW
                + "o  x  o  o  o  o  o  o  o  o  o  o\n"
                + "o  C  C  C  C  C  C  C  C  C  C  T\n\n");
    }
}
