package org.vlab.ipam.api.auth;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.web.ApiException;
import org.vlab.ipam.domain.GatewayId;

/**
 * Which gateway a request acts on (api-v1.md, "Tenancy"): the caller's own, unless an
 * operator named in {@code ipam.operators} passes {@code gateway=<id>}.
 */
@Component
public class Tenancy {

    private final ApiProperties properties;

    Tenancy(ApiProperties properties) {
        this.properties = properties;
    }

    /**
     * The gateway for {@code caller} and the request's {@code gateway} parameter (null or
     * empty when not given). Answers 400 for a parameter that is no gateway id and 403 when
     * the caller may not act on the named gateway.
     */
    public GatewayId gatewayFor(Caller caller, String gatewayParam) {
        if (gatewayParam == null || gatewayParam.isEmpty() || gatewayParam.equals(caller.username())) {
            return caller.gateway();
        }
        GatewayId requested;
        try {
            requested = GatewayId.of(gatewayParam);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Param gateway is invalid: " + e.getMessage());
        }
        if (!properties.isOperator(caller.username())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "user " + caller.username() + " does not have access");
        }
        return requested;
    }
}
