package org.vlab.ipam.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test methods and constructors a {@link TestVhost}, a {@link TestRedis} or the
 * {@link TestServices} themselves. Vhost and keyspace are per test class and removed
 * after it, so test classes run in any order without seeing each other.
 */
public final class IpamServicesExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(IpamServicesExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestVhost.class || type == TestRedis.class || type == TestServices.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == TestServices.class) {
            return TestServices.get();
        }
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        String hint = context.getRequiredTestClass().getSimpleName();
        // The store closes AutoCloseable values when the class's context ends.
        return type == TestVhost.class
                ? classContext.getStore(NAMESPACE).computeIfAbsent(TestVhost.class,
                        key -> TestServices.get().rabbit().newVhost(hint), TestVhost.class)
                : classContext.getStore(NAMESPACE).computeIfAbsent(TestRedis.class,
                        key -> TestServices.get().redis().newKeyspace(), TestRedis.class);
    }
}
