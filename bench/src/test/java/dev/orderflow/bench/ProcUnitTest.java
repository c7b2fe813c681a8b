package dev.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcUnitTest {

    /** A PostgreSQL backend: its name has spaces and parentheses, the last one closes it. */
    static final String BACKEND_STAT = "6452 (postgres: order (idle) x) S 6288 6452 6452 0 -1 4194560 2303 0 0 0"
            + " 171 35 4 2 20 0 1 0 125390 232251392 4371 18446744073709551615 1 1 0 0 0 0 4194304 19935232 84487"
            + " 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

    static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 588 1 0000 100 0 0 10 0
               1: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 33439 1 0000 100 0 0 10 0
               2: 0100007F:1538 0100007F:D2F4 01 00000000:00000000 00:00000000 00000000     0        0 41000 1 0000 20 4 30 10 -1
               3: 0100007F:D2F4 0100007F:1538 01 00000000:00000000 00:00000000 00000000     0        0 41001 1 0000 20 4 30 10 -1
            """;

    static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 35097 1 0000 100 0 0 10 0
               1: 0000000000000000FFFF00000100007F:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 36001 1 0000 100 0 0 10 0
            """;

    @Test
    void readsAStatLineWhoseNameHasSpacesAndParentheses() {
        ProcStat stat = ProcStat.parse(BACKEND_STAT.strip());

        assertThat(stat.pid()).isEqualTo(6452);
        assertThat(stat.comm()).isEqualTo("postgres: order (idle) x");
        assertThat(stat.ppid()).isEqualTo(6288);
        assertThat(stat.utime()).isEqualTo(171);
        assertThat(stat.stime()).isEqualTo(35);
        assertThat(stat.cutime()).isEqualTo(4);
        assertThat(stat.cstime()).isEqualTo(2);
        assertThat(stat.starttime()).isEqualTo(125390);
        assertThat(stat.ownTicks()).isEqualTo(206);
        assertThat(stat.ticksWithReapedChildren()).isEqualTo(212);
        assertThatIllegalArgumentException().isThrownBy(() -> ProcStat.parse("6452 postgres S 1 2 3"));
        assertThatIllegalArgumentException().isThrownBy(() -> ProcStat.parse("6452 (postgres) S 1 2 3"));
    }

    @Test
    void findsTheListeningSocketsOfAPortInBothTables() {
        // 0x1538 = 5432: the listening socket, not the connections from and to that port
        assertThat(Proc.listeningInodes(TCP, 5432)).containsExactly(33439L);
        // 0x1F90 = 8080 on every IPv6 (and mapped IPv4) address; 0x2384 = 9092 on ::ffff:127.0.0.1
        assertThat(Proc.listeningInodes(TCP6, 8080)).containsExactly(35097L);
        assertThat(Proc.listeningInodes(TCP6, 9092)).containsExactly(36001L);
        assertThat(Proc.listeningInodes(TCP, 8080)).isEmpty();
    }

    @Test
    void readsResidentMemory() {
        assertThat(Proc.vmRssKib("Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  312456 kB\nRssAnon:\t 1 kB\n"))
                .isEqualTo(OptionalLong.of(312456));
        // a kernel thread has no VmRSS line
        assertThat(Proc.vmRssKib("Name:\tkthreadd\nState:\tS (sleeping)\n")).isEmpty();
    }

    @Test
    void findsWhoHoldsASocketAndHowOldItIs(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("uptime"), "1678.58 1424.92\n");
        Files.createDirectories(root.resolve("net"));
        Files.writeString(root.resolve("net/tcp"), TCP);
        Files.writeString(root.resolve("net/tcp6"), TCP6);
        process(
                root,
                6288,
                "6288 (postgres) S 1 6288 6288 0 -1 4194304 6640 64149 0 0 9 22 318 129 20 0 1 0 124826"
                        + " 229978112 9784 18446744073709551615 1 1 0 0 0 0 4194304 19935232 84487 1 0 0 17 1 0 0 0 0 0");
        Files.createSymbolicLink(root.resolve("6288/fd/8"), Path.of("socket:[33439]"));
        Files.createSymbolicLink(root.resolve("6288/fd/9"), Path.of("/dev/null"));
        process(root, 6452, BACKEND_STAT);
        Files.createSymbolicLink(root.resolve("6452/fd/10"), Path.of("socket:[41000]"));
        Files.writeString(root.resolve("6452/status"), "Name:\tpostgres\nVmRSS:\t  2048 kB\n");
        Proc proc = new Proc(root, 100);

        Set<Long> inodes = proc.listeningInodes(5432);
        assertThat(inodes).containsExactly(33439L);
        assertThat(proc.holders(Set.of(33439L, 35097L))).isEqualTo(Map.of(33439L, Set.of(6288L)));
        assertThat(proc.stats()).extracting(ProcStat::pid).containsExactlyInAnyOrder(6288L, 6452L);
        assertThat(proc.rssKib(6452)).isEqualTo(OptionalLong.of(2048));
        assertThat(proc.rssKib(6288)).isEmpty();
        // started 124826 ticks (1248.26 s) after the boot, 1678.58 s ago
        assertThat(proc.ageSeconds(6288).getAsDouble()).isCloseTo(430.32, within(1e-9));
        assertThat(proc.stat(7777)).isEmpty();
        assertThat(proc.exists()).isTrue();
        assertThat(new Proc(root.resolve("nowhere"), 100).listeningInodes(5432)).isEmpty();
        assertThat(new Proc(root.resolve("nowhere"), 100).stats()).isEmpty();
    }

    static void process(Path root, long pid, String stat) throws Exception {
        Files.createDirectories(root.resolve(pid + "/fd"));
        Files.writeString(root.resolve(pid + "/stat"), stat);
    }
}
