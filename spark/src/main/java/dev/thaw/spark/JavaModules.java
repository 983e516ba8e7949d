package dev.thaw.spark;

/**
 * Java 17 keeps {@code java.base}'s internals closed; Spark reflects into them (Kryo into {@code java.nio}'s
 * buffers, Spark's own memory code into {@code sun.nio.ch}). spark-submit opens them itself; a plain {@code java}
 * (an IDE, a test, a script) must pass Spark's {@code --add-opens} list. Checked up front, because without it
 * Spark fails mid-job with an InaccessibleObjectException that names neither the cause nor the fix.
 */
final class JavaModules {

    private static final String[] NEEDED = {"java.nio", "java.lang", "java.util", "sun.nio.ch"};

    private JavaModules() {
    }

    static void checkOpenForSpark() {
        Module base = Object.class.getModule();
        Module us = JavaModules.class.getModule();
        for (String pkg : NEEDED) {
            if (!base.isOpen(pkg, us)) {
                throw new IllegalArgumentException("this Java does not open java.base/" + pkg + " to Spark: run "
                        + "through spark-submit, or add Spark's --add-opens list to the java command (README "
                        + "\"Running on a cluster\"; e.g. --add-opens=java.base/" + pkg + "=ALL-UNNAMED)");
            }
        }
    }
}
