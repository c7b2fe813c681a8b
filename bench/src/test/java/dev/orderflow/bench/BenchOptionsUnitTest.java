package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsUnitTest {

    @Test
    void defaultsToTheLocalRunnerAndAHundredOrdersASecondForAMinute() {
        BenchOptions o = BenchOptions.parse(List.of());

        assertThat(o.rate()).isEqualTo(100);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.search()).isFalse();
        assertThat(o.plannedRates()).containsExactly(100);
        assertThat(o.orderUrl()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(o.kafka()).isEqualTo("localhost:9092");
        assertThat(o.postgres()).isEqualTo("jdbc:postgresql://localhost:5432/postgres?user=postgres");
        assertThat(o.p99Limit()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.out()).isEqualTo(Path.of("target/bench"));
    }

    @Test
    void takesValuesAfterASpaceOrAnEqualsSign() {
        BenchOptions o = BenchOptions.parse(List.of(
                "--rate",
                "250",
                "--duration=30",
                "--search",
                "--steps",
                "50, 100,300",
                "--order-url",
                "http://127.0.0.1:9000/",
                "--no-floors",
                "--out=/tmp/b"));

        assertThat(o.rate()).isEqualTo(250);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.plannedRates()).containsExactly(50, 100, 300);
        assertThat(o.orderUrl()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(o.floors()).isFalse();
        assertThat(o.out()).isEqualTo(Path.of("/tmp/b"));
    }

    @Test
    void measuresTwentySecondsOfIdleFirstUnlessToldOtherwise() {
        assertThat(BenchOptions.parse(List.of()).idle()).isEqualTo(Duration.ofSeconds(20));
        assertThat(BenchOptions.parse(List.of("--idle", "5")).idle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(BenchOptions.parse(List.of("--idle=0")).idle()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--idle", "-1")));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--idle", "1.5")));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--idle")));
    }

    @Test
    void coldIsAPresetForTheFirstMinuteAfterStartUp() {
        BenchOptions o = BenchOptions.parse(List.of("--cold"));

        assertThat(o.cold()).isTrue();
        assertThat(o.rate()).isEqualTo(50);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.warmup()).isZero();
        assertThat(o.floors()).isFalse();
        assertThat(o.idle()).isZero();
        assertThat(o.customers()).isEqualTo(20);
        assertThat(o.search()).isFalse();
        assertThat(BenchOptions.parse(List.of()).cold()).isFalse();
    }

    @Test
    void anOptionGivenWithColdWinsBeforeOrAfterIt() {
        BenchOptions before = BenchOptions.parse(
                List.of("--rate", "80", "--idle", "5", "--floors", "--customers=7", "--cold", "--warmup", "3"));
        BenchOptions after = BenchOptions.parse(
                List.of("--cold", "--rate", "80", "--idle", "5", "--floors", "--customers=7", "--warmup", "3"));

        for (BenchOptions o : List.of(before, after)) {
            assertThat(o.rate()).isEqualTo(80);
            assertThat(o.idle()).isEqualTo(Duration.ofSeconds(5));
            assertThat(o.floors()).isTrue();
            assertThat(o.customers()).isEqualTo(7);
            assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(3));
            // not given: the preset's
            assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
        }
        assertThat(BenchOptions.parse(List.of("--no-floors", "--floors")).floors())
                .isTrue();
        assertThat(BenchOptions.parse(List.of("--cold", "--duration", "30")).duration())
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void takesSeveralUrlsPerServiceAndDrivesTheFirstWhereOneIsAsked() {
        BenchOptions o = BenchOptions.parse(List.of(
                "--order-url", "http://localhost:8080, http://localhost:8180/", "--notification-url=http://n1:8082"));

        assertThat(o.orderUrls())
                .containsExactly(URI.create("http://localhost:8080"), URI.create("http://localhost:8180"));
        assertThat(o.orderUrl()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(o.paymentUrls()).containsExactly(URI.create("http://localhost:8081"));
        assertThat(o.notificationUrls()).containsExactly(URI.create("http://n1:8082"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchOptions.parse(List.of("--order-url", "http://localhost:8080,ftp://x")));
    }

    @Test
    void instancesExpandEachServicesFirstUrlAHundredPortsApart() {
        BenchOptions o = BenchOptions.parse(List.of("--instances", "2", "--payment-url", "http://127.0.0.1:9081"));

        assertThat(o.orderUrls())
                .containsExactly(URI.create("http://localhost:8080"), URI.create("http://localhost:8180"));
        assertThat(o.paymentUrls())
                .containsExactly(URI.create("http://127.0.0.1:9081"), URI.create("http://127.0.0.1:9181"));
        assertThat(o.notificationUrls())
                .containsExactly(URI.create("http://localhost:8082"), URI.create("http://localhost:8182"));
        // the brokers stay as given
        assertThat(o.kafka()).isEqualTo("localhost:9092");
        assertThat(BenchOptions.parse(List.of("--instances=1")).orderUrls())
                .containsExactly(URI.create("http://localhost:8080"));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--instances", "0")));
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        BenchOptions.parse(List.of("--instances", "2", "--order-url", "http://a:8080,http://b:8080")));
    }

    @Test
    void anInstanceOfAUrlWithoutAPortCountsFromItsSchemesPort() {
        assertThat(BenchOptions.instances(URI.create("https://orders.example"), 3))
                .containsExactly(
                        URI.create("https://orders.example:443"),
                        URI.create("https://orders.example:543"),
                        URI.create("https://orders.example:643"));
    }

    @Test
    void rejectsWhatItCannotUse() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--rat", "1")));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--rate", "0")));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--rate")));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--steps", "200,100")));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--decline-share", "1")));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(List.of("--order-url", "ftp://x")));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchOptions.parse(List.of("--postgres", "postgres://x")));
    }

    @Test
    void pointsTheScratchDatabaseAtTheSameServer() {
        assertThat(PostgresFloor.withDatabase("jdbc:postgresql://localhost:5432/postgres?user=postgres", "bench_x"))
                .isEqualTo("jdbc:postgresql://localhost:5432/bench_x?user=postgres");
        assertThat(PostgresFloor.withDatabase("jdbc:postgresql://db:5433/postgres", "bench_x"))
                .isEqualTo("jdbc:postgresql://db:5433/bench_x");
    }
}
