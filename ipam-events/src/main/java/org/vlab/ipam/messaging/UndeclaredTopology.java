package org.vlab.ipam.messaging;

import org.springframework.amqp.core.AbstractDeclarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Exchange;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;

/**
 * Leaves out of the broker declarations what {@link DeclareTopology} says the service must not
 * declare: the shared exchanges that {@link IpamMessagingConfiguration} contributes, and with
 * {@code none} the service's own queues too. Marked before the first connection declares anything.
 */
public final class UndeclaredTopology implements BeanPostProcessor {

    public static final String PROPERTY = "ipam.declare-topology";

    private final DeclareTopology mode;

    public UndeclaredTopology(Environment environment) {
        this.mode = DeclareTopology.parse(environment.getProperty(PROPERTY, "all"));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof Declarables declarables && mode != DeclareTopology.ALL) {
            for (Object declarable : declarables.getDeclarables()) {
                if (declarable instanceof AbstractDeclarable marked
                        && (mode == DeclareTopology.NONE || declarable instanceof Exchange)) {
                    marked.setShouldDeclare(false);
                }
            }
        }
        return bean;
    }
}
