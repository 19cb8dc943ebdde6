package org.vlab.ipam.agent.firewall;

import java.io.IOException;

/** A program did not finish within its timeout and was killed: worth another try, not a refusal. */
public final class CommandTimedOutException extends IOException {

    private static final long serialVersionUID = 1L;

    public CommandTimedOutException(String message) {
        super(message);
    }
}
