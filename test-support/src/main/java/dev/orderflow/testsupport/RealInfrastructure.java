package dev.orderflow.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * Points a Spring test context at real infrastructure: the shared Kafka broker and a database of its
 * own on the shared PostgreSQL server (see {@link TestInfrastructure}).
 *
 * <p>The context also holds a {@link KafkaTestClient} for the broker its {@code spring.kafka.bootstrap-servers}
 * names when the bean is made (after the test's own properties are in), so a test autowires it instead of
 * reading that property and building one itself.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextConfiguration(initializers = RealInfrastructure.Initializer.class)
public @interface RealInfrastructure {

    class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String name = context.getEnvironment().getProperty("spring.application.name", "test");
            Database database = TestInfrastructure.newDatabase(name);
            TestPropertyValues.of(database.springProperties())
                    .and("spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers())
                    .applyTo(context);
            if (context instanceof GenericApplicationContext registry) {
                registry.registerBean(
                        KafkaTestClient.class,
                        () -> new KafkaTestClient(
                                context.getEnvironment().getRequiredProperty("spring.kafka.bootstrap-servers")));
            }
        }
    }
}
