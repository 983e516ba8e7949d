package dev.thaw.engine.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Versions and platform a result was produced on, stored with every run and model: the same config can give
 * different numbers on another ND4J backend, BLAS or CPU.
 */
public final class Provenance {

    private Provenance() {
    }

    public static Map<String, String> environment() {
        Map<String, String> env = versions();
        env.put("nd4jBackend", Nd4j.getBackend().getClass().getSimpleName());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        env.put("arch", System.getProperty("os.arch"));
        env.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        env.put("cpu", cpu());
        return env;
    }

    /**
     * The CPU's model as Linux names it, with its family and model numbers (a virtual machine may call it just "AMD
     * EPYC", which spans generations of different speed); "unknown" where {@code /proc/cpuinfo} is not readable.
     */
    public static String cpu() {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.isBlank()) {
                    break; // the first processor's block is enough
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        String name = fields.getOrDefault("model name", "unknown");
        return fields.containsKey("cpu family") && fields.containsKey("model")
                ? name + " (family " + fields.get("cpu family") + ", model " + fields.get("model") + ")" : name;
    }

    /** Thaw's, DL4J's, JavaCPP's and Java's versions, read without starting ND4J (fast: for --version). */
    public static Map<String, String> versions() {
        Map<String, String> env = new LinkedHashMap<>();
        Properties build = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/dev/thaw/engine/thaw-build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException ignored) {
            // versions stay unknown; nothing else depends on them
        }
        env.put("thaw", build.getProperty("thaw.version", "unknown"));
        env.put("dl4j", build.getProperty("dl4j.version", "unknown"));
        env.put("javacpp", build.getProperty("javacpp.version", "unknown"));
        env.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        return env;
    }
}
