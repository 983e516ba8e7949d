package dev.thaw.engine.ui;

/** The UI or a stats file cannot be used; the message is one line that names the fix. */
public final class UiException extends RuntimeException {

    public UiException(String message) {
        super(message);
    }

    public UiException(String message, Throwable cause) {
        super(message, cause);
    }
}
