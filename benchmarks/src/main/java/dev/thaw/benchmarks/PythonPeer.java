package dev.thaw.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A PyTorch peer script under {@code benchmarks/peer/}, run after the DL4J side of a benchmark so that both sides
 * are measured on the same machine in the same invocation. The script prints one JSON object per result line;
 * anything else it prints is passed through.
 */
public final class PythonPeer {

    private PythonPeer() {
    }

    /**
     * Runs {@code python script args…} and returns its JSON lines; empty (with the reason printed) when the
     * interpreter cannot start or the script fails, so the Java side's figures are still written.
     */
    public static List<JsonNode> run(String python, String script, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, script));
        cmd.addAll(args);
        System.out.println("running the PyTorch peer: " + String.join(" ", cmd));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            System.out.println("PyTorch peer not run (" + e.getMessage() + "); install python3-torch and "
                    + "python3-torchvision, or pass --peer /path/to/python3, or --peer none");
            return List.of();
        }
        List<JsonNode> results = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("{")) {
                    results.add(json.readTree(line));
                    System.out.println("pytorch " + line);
                } else {
                    System.out.println(line);
                }
            }
        }
        if (p.waitFor() != 0) {
            System.out.println("PyTorch peer exited with " + p.exitValue() + " (is python3-torch installed?)");
        }
        return results;
    }
}
