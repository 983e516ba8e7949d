package dev.thaw.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * What travels between the driver and executors (tasks out, records and file names back) goes as JSON, as Thaw
 * writes its configs and results anyway: nothing to register with Kryo, and a record reads the same on both sides.
 */
final class Wire {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** @param what what the text should be, for the message when it is not */
    static <T> T read(String json, Class<T> type, String what) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + what + ": " + e.getMessage(), e);
        }
    }
}
