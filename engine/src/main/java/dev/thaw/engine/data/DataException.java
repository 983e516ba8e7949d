package dev.thaw.engine.data;

/**
 * A dataset that cannot be used as asked. The message names the problem (path, class, flag) and the fix, and is
 * shown to the user as is.
 */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
