package org.vlab.ipam.health.probe;

import java.io.IOException;

/** ICMP echoes cannot be sent here at all: fping is missing, or it may not open a raw socket (no NET_RAW). */
final class IcmpUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean missingProgram;

    private IcmpUnavailableException(String message, boolean missingProgram, Throwable cause) {
        super(message, cause);
        this.missingProgram = missingProgram;
    }

    static IcmpUnavailableException cannotStart(String program, IOException e) {
        String text = String.valueOf(e.getMessage());
        // Java reports the errno of the failed exec: 2 (ENOENT) missing, 1/13 (EPERM/EACCES)
        // when the file capability exceeds what the container may hold.
        boolean missing = text.contains("error=2,");
        return new IcmpUnavailableException(missing ? program + " is not installed (" + text + ")"
                : "cannot start " + program + ": " + text, missing, e);
    }

    static IcmpUnavailableException notPermitted(String program, int exitCode, String output) {
        return new IcmpUnavailableException(program + " may not open a raw ICMP socket (exit " + exitCode
                + (output.isBlank() ? "" : ": " + output.strip()) + ")", false, null);
    }

    static boolean deniedIn(String output) {
        return output.contains("Operation not permitted") || output.contains("can't create socket");
    }

    boolean missingProgram() {
        return missingProgram;
    }
}
