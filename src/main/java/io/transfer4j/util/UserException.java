package io.transfer4j.util;

/**
 * A problem with the user's input or environment that the user can fix. Its message is one line
 * that names the problem and the fix; the CLI prints it without a stack trace and exits non-zero.
 */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
