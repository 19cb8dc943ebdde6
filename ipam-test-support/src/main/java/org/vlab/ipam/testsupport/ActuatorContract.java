package org.vlab.ipam.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * What every service's Actuator does, for a service's {@code HealthTests}: a
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} of the service that extends this and
 * names its artifact. Actuator answers on the management port only; probes and info work.
 */
@ExtendWith(ActuatorClient.Resolver.class)
public abstract class ActuatorContract {

    protected final ActuatorClient actuator;
    private final String artifact;

    protected ActuatorContract(ActuatorClient actuator, String artifact) {
        this.actuator = actuator;
        this.artifact = artifact;
    }

    @Test
    void servesActuatorOnTheManagementPortOnly() {
        actuator.assertOnlyOnManagementPort();
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        assertEquals("UP", actuator.json("/actuator/health/liveness").path("status").asString());
        assertEquals("UP", actuator.json("/actuator/health/readiness").path("status").asString());
    }

    @Test
    void infoNamesTheArtifactAndItsVersion() {
        JsonNode build = actuator.json("/actuator/info").path("build");

        assertEquals(artifact, build.path("artifact").asString());
        assertFalse(build.path("version").asString().isBlank(), "build.version is blank");
    }
}
