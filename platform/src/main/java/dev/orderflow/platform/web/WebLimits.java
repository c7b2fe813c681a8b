package dev.orderflow.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much of a request a service takes in and how much of a refusal it writes, under {@code orderflow.web}.
 *
 * @param maxBodySize the largest request body: the largest valid order (100 items) is about 10 KB of JSON, so
 *     64 KB leaves room for spelling while an 8 MB body is refused ({@code 413}) before any of it is parsed
 * @param maxListedErrors the most offending fields a {@code 400} problem lists; it also says how many there
 *     were, so the answer stays small however broken the request
 * @param databaseRetryAfter what {@code Retry-After} says while the service's database cannot be reached
 */
@ConfigurationProperties("orderflow.web")
public record WebLimits(
        @DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue("20") int maxListedErrors,
        @DefaultValue("5s") java.time.Duration databaseRetryAfter) {}
