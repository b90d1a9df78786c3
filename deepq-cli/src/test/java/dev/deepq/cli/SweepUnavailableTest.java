package dev.deepq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Without Spark on the class path (this module's tests), 'deepq sweep' says how to run sweeps. */
class SweepUnavailableTest {
    @Test
    void sweepWithoutSparkExplainsHowToRunIt() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"sweep", "sweep.yaml", "--master", "local[2]"}, new PrintWriter(out),
                new PrintWriter(err));
        assertThat(code).isEqualTo(Main.USER_ERROR);
        assertThat(err.toString()).contains("./deepq-sweep SWEEP_FILE").contains("spark-submit")
                .contains("docs/SWEEPS.md").doesNotContain("Exception");
    }

    @Test
    void sweepIsListedInTheHelp() {
        StringWriter out = new StringWriter();
        Main.execute(new String[] {"--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(out.toString()).contains("sweep");
    }
}
