package org.vlab.ipam.api.auth;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.vlab.ipam.api.web.ApiException;

/** Why a request was not authenticated, with the exact message vLab clients know (api-v1.md, "Authentication"). */
enum AuthFailure {

    NO_TOKEN("No auth token sent in HTTP header"),
    EXPIRED("No Valid Session Found"),
    INVALID("Invalid auth token supplied");

    private final String message;

    AuthFailure(String message) {
        this.message = message;
    }

    String message() {
        return message;
    }

    /** The 401 answer, pointing the client at the vLab auth service. */
    ApiException answer(String vlabBase) {
        return new ApiException(HttpStatus.UNAUTHORIZED, message, null,
                Map.of(HttpHeaders.LINK, "<" + vlabBase + "/api/1/auth>; rel=authorization"));
    }
}
