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
