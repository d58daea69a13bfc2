package io.cloudelements.operator.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The memory of this process: the heap in use after each garbage collection (the highest value is
 * kept), the live heap after a forced full collection, and the resident set size from {@code
 * /proc/self/status}.
 */
public final class ProcessMemory implements AutoCloseable {

  private final AtomicLong peakAfterGc = new AtomicLong();
  private final Set<String> heapPools;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onGc;

  private ProcessMemory() {
    heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
  }

  /** Starts following the garbage collections. */
  public static ProcessMemory follow() {
    ProcessMemory memory = new ProcessMemory();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(memory.listener, null, null);
        memory.emitters.add(emitter);
      }
    }
    return memory;
  }

  private void onGc(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long used = 0;
    for (var entry : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(entry.getKey())) {
        used += entry.getValue().getUsed();
      }
    }
    peakAfterGc.accumulateAndGet(used, Math::max);
  }

  /** The highest heap use seen right after a collection, in bytes (0 before the first one). */
  public long peakHeapAfterGc() {
    return peakAfterGc.get();
  }

  /** Forces full collections and returns the heap still in use: the live heap, in bytes. */
  public static long liveHeapAfterFullGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      used = Math.min(used, heap.getUsed());
    }
    return used;
  }

  /** The resident set size now, in bytes; -1 where {@code /proc/self/status} does not exist. */
  public static long rss() {
    return statusField("VmRSS:");
  }

  /**
   * The highest resident set size so far, in bytes; -1 where {@code /proc/self/status} does not
   * exist.
   */
  public static long peakRss() {
    return statusField("VmHWM:");
  }

  /** The resident set size of another process now, in bytes; -1 when unknown. */
  public static long rss(long pid) {
    return statusField(Long.toString(pid), "VmRSS:");
  }

  /** The highest resident set size of another process so far, in bytes; -1 when unknown. */
  public static long peakRss(long pid) {
    return statusField(Long.toString(pid), "VmHWM:");
  }

  /**
   * The live heap of another JVM: {@code jcmd <pid> GC.run}, then the "used" of its heap spaces in
   * {@code jcmd <pid> GC.heap_info}; -1 when jcmd is missing or fails.
   */
  public static long liveHeapOf(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd) || pid <= 0) {
      return -1;
    }
    try {
      for (int i = 0; i < 2; i++) {
        jcmd(jcmd, pid, "GC.run");
      }
      return heapUsed(jcmd(jcmd, pid, "GC.heap_info"));
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String jcmd(Path jcmd, long pid, String command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String output =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + command + " failed: " + output);
    }
    return output;
  }

  /**
   * Sums the "used" of the heap spaces in GC.heap_info (Serial, Parallel: generations; G1: the
   * heap).
   */
  static long heapUsed(String heapInfo) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "(?m)^\\s*(?:def new generation|tenured generation|PSYoungGen|ParOldGen|garbage-first heap)"
                    + "\\s+total \\d+K, used (\\d+)K")
            .matcher(heapInfo);
    long used = 0;
    boolean found = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1)) * 1024;
      found = true;
    }
    return found ? used : -1;
  }

  static long statusField(String name) {
    return statusField("self", name);
  }

  static long statusField(String process, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", process, "status"))) {
        if (line.startsWith(name)) {
          return parseKilobytes(line.substring(name.length())) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** {@code " 123456 kB"} → 123456. */
  static long parseKilobytes(String value) {
    String digits = value.trim();
    int space = digits.indexOf(' ');
    return Long.parseLong(space < 0 ? digits : digits.substring(0, space));
  }

  /**
   * CPU time (user and system) of process {@code pid} so far, from {@code /proc/<pid>/stat}; -1
   * when unknown.
   */
  public static long cpuNanos(long pid) {
    try {
      return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"))) * 1_000_000_000L / 100;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in clock ticks (USER_HZ,
   * 100 on Linux).
   */
  static long cpuTicks(String stat) {
    // The command (field 2) is in parentheses and may hold spaces: count from its closing one.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** CPU time of this process so far, in nanoseconds; -1 when unknown. */
  public static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /**
   * CPU time of the whole machine so far (all processes, all cores, without idle and I/O wait), in
   * nanoseconds, from {@code /proc/stat}; -1 where it does not exist.
   */
  public static long machineCpuNanos() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy * 1_000_000_000L / 100; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // already gone
      }
    }
  }
}
