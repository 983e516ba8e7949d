package dev.thaw.engine.cli;

import dev.thaw.engine.run.Provenance;
import dev.thaw.engine.train.StopSignal;
import dev.thaw.engine.train.TrainingStoppedException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code thaw} command line: one subcommand per job. Run through Maven from the project root:
 * {@code mvn -q compile exec:java@cli -Dexec.args="inspect --model resnet50"}.
 */
@Command(name = "thaw", mixinStandardHelpOptions = true, versionProvider = ThawCli.Versions.class,
        description = "Transfer learning on the JVM: pick a backbone, choose how much to freeze, fine-tune.",
        subcommands = {DemoCommand.class, TrainCommand.class, PretrainCommand.class, EvaluateCommand.class,
                PredictCommand.class, FeaturizeCommand.class, InspectCommand.class, ScanCommand.class,
                ImportCommand.class, CacheCommand.class, CommandLine.HelpCommand.class,
                AutoComplete.GenerateCompletion.class})
public final class ThawCli implements Runnable {

    private static final String CRASH_DUMPS = "org.deeplearning4j.crash.reporting.enabled";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        StopSignal.install(err); // Ctrl-C / SIGTERM: stop with every finished epoch saved
        System.exit(run(args, new PrintWriter(System.out, true), err));
    }

    /** Runs one command line; returns the exit code. Output goes to {@code out}, errors to {@code err}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = GlobalOptions.verboseRequested(args);
        GlobalOptions.configureLogging(verbose);
        if (!verbose && System.getProperty(CRASH_DUMPS) == null) {
            // on an out-of-memory error DL4J writes a memory dump into the working folder and logs where; the
            // one-line message below says what to do, and --verbose brings the dump back
            System.setProperty(CRASH_DUMPS, "false");
        }
        CommandLine cli = new CommandLine(new ThawCli());
        for (ThawSubcommand extra : ServiceLoader.load(ThawSubcommand.class)) {
            cli.addSubcommand(extra);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            // Users get one line that names the problem and the fix; the stack trace is for --verbose.
            OutOfMemoryError memory = outOfMemoryIn(e);
            commandLine.getErr().println(memory != null ? outOfMemory(memory)
                    : "thaw " + commandLine.getCommandName() + ": " + e.getMessage());
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return e instanceof TrainingStoppedException stopped ? stopped.exitCode() : 1;
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            // an Error, so picocli's handler above never sees it; the launcher sets limits from the machine's RAM
            err.println(outOfMemory(e));
            code = 1;
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The error itself, or one DL4J wrapped: an allocation that fails inside a forward pass reaches us as "Error
     * during neural network forward pass", which names neither the cause nor the fix.
     */
    private static OutOfMemoryError outOfMemoryIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError memory) {
                return memory;
            }
        }
        return null;
    }

    private static String outOfMemory(OutOfMemoryError e) {
        return "thaw: out of memory (" + e.getMessage() + "): try a smaller --batch or --input, or raise the limits "
                + "in THAW_JAVA_OPTS (-Xmx for the Java heap, -Dorg.bytedeco.javacpp.maxphysicalbytes for the whole "
                + "process, ND4J's arrays included)";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code thaw --version}: Thaw's, DL4J's and Java's versions, as recorded at build time. */
    static final class Versions implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Map<String, String> v = Provenance.versions();
            return new String[] {"thaw " + v.get("thaw"), "DL4J " + v.get("dl4j") + " (JavaCPP " + v.get("javacpp")
                    + ")", "Java " + v.get("java")};
        }
    }
}
