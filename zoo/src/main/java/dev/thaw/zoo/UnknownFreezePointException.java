package dev.thaw.zoo;

/** A freeze point that the backbone does not have; the message lists the ones it does. */
public class UnknownFreezePointException extends IllegalArgumentException {
    public UnknownFreezePointException(String message) {
        super(message);
    }
}
