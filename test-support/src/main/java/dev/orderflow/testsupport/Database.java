package dev.orderflow.testsupport;

import java.util.Map;

/** A fresh, empty PostgreSQL database and how to reach it. */
public record Database(String url, String username, String password) {

    /** The standard Spring Boot properties that point a service at this database. */
    public Map<String, String> springProperties() {
        return Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", username,
                "spring.datasource.password", password);
    }
}
