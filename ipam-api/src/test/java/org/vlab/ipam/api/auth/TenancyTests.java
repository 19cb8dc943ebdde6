package org.vlab.ipam.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.vlab.ipam.api.web.ApiException;
import org.vlab.ipam.domain.GatewayId;

class TenancyTests {

    private final Tenancy tenancy = new Tenancy(TestProperties.of("operators", "ops,root-1"));
    private final Caller alice = new Caller("alice", 1);
    private final Caller operator = new Caller("ops", 2);

    @Test
    void givesTheCallersOwnGatewayWithoutAParameterOrWithTheirOwnName() {
        assertThat(tenancy.gatewayFor(alice, null)).isEqualTo(GatewayId.of("alice"));
        assertThat(tenancy.gatewayFor(alice, "")).isEqualTo(GatewayId.of("alice"));
        assertThat(tenancy.gatewayFor(alice, "alice")).isEqualTo(GatewayId.of("alice"));
    }

    @Test
    void forbidsAnotherGatewayToAUserWhoIsNoOperator() {
        assertThatThrownBy(() -> tenancy.gatewayFor(alice, "bob")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(e.getMessage()).isEqualTo("user alice does not have access");
        });
    }

    @Test
    void letsAnOperatorActOnAnyGateway() {
        assertThat(tenancy.gatewayFor(operator, "bob")).isEqualTo(GatewayId.of("bob"));
        assertThat(tenancy.gatewayFor(operator, null)).isEqualTo(GatewayId.of("ops"));
    }

    @Test
    void refusesAGatewayParameterThatIsNoGatewayIdNamingIt() {
        assertThatThrownBy(() -> tenancy.gatewayFor(operator, "bob.example")).isInstanceOfSatisfying(ApiException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.getMessage()).startsWith("Param gateway is invalid").contains("'bob.example'");
                });
    }
}
