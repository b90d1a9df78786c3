package dev.deepq.spark;

import dev.deepq.cli.Main;
import java.io.PrintWriter;

/**
 * Entry point for {@code spark-submit --class dev.deepq.spark.SweepMain deepq-sweep.jar SWEEP_FILE [options]}: the
 * same as {@code deepq sweep SWEEP_FILE [options]}.
 */
public final class SweepMain {
    private SweepMain() {}

    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "sweep";
        System.arraycopy(args, 0, all, 1, args.length);
        System.exit(Main.execute(all, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }
}
