package org.fusebox.api.cloud;

/** A message could not be accepted (not even stored for later). */
public class CloudException extends Exception {

    private static final long serialVersionUID = 1L;

    public CloudException(String message) {
        super(message);
    }

    public CloudException(String message, Throwable cause) {
        super(message, cause);
    }
}
