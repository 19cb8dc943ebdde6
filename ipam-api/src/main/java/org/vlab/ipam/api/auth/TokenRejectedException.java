package org.vlab.ipam.api.auth;

/**
 * A token that was refused: the {@link AuthFailure} decides what the client is told, the
 * reason is for the log only (it never contains the token).
 */
final class TokenRejectedException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int MAX_REASON = 200;

    private final AuthFailure failure;
    private final boolean rsaSignatureFailed;

    TokenRejectedException(AuthFailure failure, String reason) {
        this(failure, reason, false);
    }

    TokenRejectedException(AuthFailure failure, String reason, boolean rsaSignatureFailed) {
        super(printable(reason), null, false, false);
        this.failure = failure;
        this.rsaSignatureFailed = rsaSignatureFailed;
    }

    AuthFailure failure() {
        return failure;
    }

    /** An RS256 token whose signature did not verify with the current key: maybe vLab rotated it. */
    boolean rsaSignatureFailed() {
        return rsaSignatureFailed;
    }

    /** Library messages may quote bits of the (attacker's) token header: shorten them and drop control characters. */
    private static String printable(String reason) {
        String text = reason == null ? "no reason given" : reason;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX_REASON; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > MAX_REASON ? out.append("...").toString() : out.toString();
    }
}
