package org.vlab.ipam.api.auth;

/**
 * A token that was refused: the {@link AuthFailure} decides what the client is told, the
 * reason is for the log only (it never contains the token).
 */
final class TokenRejectedException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int MAX_REASON = 200;

    private final AuthFailure failure;

    TokenRejectedException(AuthFailure failure, String reason) {
        super(printable(reason), null, false, false);
        this.failure = failure;
    }

    AuthFailure failure() {
        return failure;
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
