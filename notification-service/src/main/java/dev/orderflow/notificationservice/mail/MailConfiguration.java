package dev.orderflow.notificationservice.mail;

import dev.orderflow.notificationservice.contact.CustomerContacts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Notifications by mail: the outbox that queues them and the relay that sends them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MailSettings.class)
@ConditionalOnBooleanProperty(name = "notifications.mail.enabled", matchIfMissing = true)
class MailConfiguration {

    @Bean
    MailRelay mailRelay(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            JavaMailSender sender,
            MailSettings settings,
            ObjectProvider<MeterRegistry> meters) {
        return new MailRelay(
                jdbc,
                new TransactionTemplate(transactionManager),
                sender,
                settings,
                meters.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    MailOutbox mailOutbox(CustomerContacts contacts, JdbcClient jdbc, MailRelay relay) {
        return new MailOutbox(contacts, jdbc, relay::wakeUp);
    }
}
