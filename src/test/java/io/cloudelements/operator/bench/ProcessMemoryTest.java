package io.cloudelements.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

  @Test
  void kilobytesOfProcStatus() {
    assertThat(ProcessMemory.parseKilobytes("\t  123456 kB")).isEqualTo(123456);
    assertThat(ProcessMemory.parseKilobytes(" 7")).isEqualTo(7);
  }

  @Test
  void theHeapInUseFromGcHeapInfo() {
    String serial =
        """
        12345:
         def new generation   total 39296K, used 1024K [0x00000000f8000000, 0x00000000faaa0000)
          eden space 34944K,   2% used [0x00000000f8000000, 0x00000000f8100000, 0x00000000fa220000)
         tenured generation   total 87424K, used 25600K [0x00000000faaa0000, 0x0000000100000000)
         Metaspace       used 45678K, committed 46080K, reserved 1089536K
          class space    used 5678K, committed 5888K, reserved 1048576K
        """;
    String g1 =
        """
         garbage-first heap   total 262144K, used 20480K [0x0000000708000000, 0x0000000800000000)
          region size 1024K, 3 young (3072K), 0 survivors (0K)
         Metaspace       used 45678K, committed 46080K, reserved 1089536K
        """;

    assertThat(ProcessMemory.heapUsed(serial)).isEqualTo((1024 + 25600) * 1024L);
    assertThat(ProcessMemory.heapUsed(g1)).isEqualTo(20480 * 1024L);
    assertThat(ProcessMemory.heapUsed("no heap here")).isEqualTo(-1);
  }

  @Test
  void theResidentSetAndTheLiveHeapOfThisProcess() {
    assumeTrue(Files.exists(Path.of("/proc/self/status")));

    assertThat(ProcessMemory.rss()).isPositive();
    assertThat(ProcessMemory.peakRss()).isGreaterThanOrEqualTo(ProcessMemory.rss() / 2);
    assertThat(ProcessMemory.liveHeapAfterFullGc()).isPositive();
  }

  @Test
  void cpuTimesGrow() {
    assumeTrue(Files.exists(Path.of("/proc/stat")));
    long process = ProcessMemory.processCpuNanos();
    long machine = ProcessMemory.machineCpuNanos();
    long spin = System.nanoTime() + 50_000_000L;
    double x = 0;
    while (System.nanoTime() < spin) {
      x += Math.sqrt(x + 1);
    }

    assertThat(x).isPositive();
    assertThat(ProcessMemory.processCpuNanos()).isGreaterThan(process);
    assertThat(ProcessMemory.machineCpuNanos()).isGreaterThanOrEqualTo(machine);
  }

  @Test
  void cpuTicksOfProcPidStatCountUserAndSystemTime() {
    // The command may hold spaces and parentheses; utime and stime are fields 14 and 15.
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 5000 0 0 0 731 269 0 0 20 0 40 0 100 0 0";

    assertThat(ProcessMemory.cpuTicks(stat)).isEqualTo(1000);
    assertThat(ProcessMemory.cpuNanos(ProcessHandle.current().pid())).isPositive();
  }

  @Test
  void theApiServerTimingsOfTheOperatorProcessAreReadFromItsMetrics() {
    String exposition =
        """
        # HELP kubernetes_client_requests_seconds Requests of the operator's Kubernetes client
        # TYPE kubernetes_client_requests_seconds summary
        kubernetes_client_requests_seconds_count{verb="get"} 12.0
        kubernetes_client_requests_seconds_sum{verb="get"} 0.384
        kubernetes_client_requests_seconds_count{verb="patch",} 3.0
        kubernetes_client_requests_seconds_sum{verb="patch",} 0.1
        cloudelements_requests_seconds_count{operation="get"} 99.0
        """;

    var totals = OperatorProcess.parseApiServerRequests(exposition);

    assertThat(totals).containsOnlyKeys("get", "patch");
    assertThat(totals.get("get"))
        .isEqualTo(
            new io.cloudelements.operator.runtime.ApiServerRequests.Totals(12, 384_000_000L));
    assertThat(totals.get("patch").count()).isEqualTo(3);
  }
}
