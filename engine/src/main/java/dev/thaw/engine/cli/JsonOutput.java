package dev.thaw.engine.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --json} for scripts: the command prints one JSON document on standard output, and its progress lines go to
 * standard error (logs always do), so {@code thaw train --json … | jq .evaluation.accuracy} works.
 */
public final class JsonOutput {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Print one JSON document on standard output (progress goes to "
            + "standard error).")
    boolean json;

    /** Whether {@code --json} was given. */
    public boolean on() {
        return json;
    }

    /** Where the command's text goes: standard error with {@code --json}, else standard output. */
    public PrintWriter text(CommandSpec spec) {
        return json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    /** With {@code --json}, prints the document {@code value} makes; without, nothing (and nothing is made). */
    public void print(CommandSpec spec, Supplier<Object> value) {
        if (!json) {
            return;
        }
        try {
            spec.commandLine().getOut().println(JSON.writeValueAsString(value.get()));
            spec.commandLine().getOut().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON output: " + e.getMessage(), e);
        }
    }
}
