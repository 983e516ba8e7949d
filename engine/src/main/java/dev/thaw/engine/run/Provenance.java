package dev.thaw.engine.run;

import java.io.IOException;
import java.io.InputStream;
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
        return env;
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
