package dev.orderflow.platform.messaging;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A service with nothing but the messaging plumbing, for its integration tests. */
@SpringBootApplication
class MessagingTestApplication {}
