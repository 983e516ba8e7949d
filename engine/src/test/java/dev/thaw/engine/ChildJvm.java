package dev.thaw.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate JVM running a main class on this test's classpath, for what only another process shows: a real kill
 * or signal, a lock held elsewhere, a memory limit. It shares the JavaCPP cache folder of the build, so the natives
 * are not unpacked again.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code java [options] -cp CLASSPATH main args}, standard error merged into standard output. */
    public static ProcessBuilder of(List<String> options, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                        System.getProperty("user.home") + "/.javacpp/cache")));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }
}
