package io.cloudelements.operator.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operator's settings, read once from the environment. Every wrong value fails with a one-line
 * message that names the environment variable.
 *
 * @param baseUrl Cloud Elements API base URL, without a trailing slash
 * @param allowPlainHttp whether a plain http:// base URL is accepted (a simulator or a test)
 * @param watchNamespaces namespaces to watch; empty means all
 * @param requestTimeout timeout of each Cloud Elements call
 * @param retryInitialDelay first backoff step after a retryable failure
 * @param retryMaxDelay cap of the backoff
 * @param resyncInterval how often each instance is read back to find drift
 * @param managementPort port of /healthz, /readyz and /metrics; 0 picks a free port (tests)
 * @param leaderElectionEnabled whether replicas elect a leader with a Lease; only the leader
 *     reconciles
 * @param podNamespace namespace of the Lease (the pod's own namespace); required with leader
 *     election
 * @param leaseName name of the Lease
 * @param maxConcurrentReconciles reconciles that run in parallel; by default twice the Cloud
 *     Elements calls, so that the calls' permits stay in use while other reconciles write to the
 *     API server
 * @param maxConcurrentRequests Cloud Elements calls in flight at once, per process
 * @param logFormat format of the log lines on standard output
 * @param terminationTimeout how long a stop waits for running reconciles before it interrupts them
 * @param podName this replica's name (the pod's, from {@code HOSTNAME}): its identity in the Lease;
 *     null when unknown
 * @param consentTtl how long a consent URL and its state are accepted
 * @param oauthCallbackPort port of the OAuth callback endpoint; 0 picks a free port (tests)
 */
public record OperatorConfig(
    URI baseUrl,
    boolean allowPlainHttp,
    Set<String> watchNamespaces,
    Duration requestTimeout,
    Duration retryInitialDelay,
    Duration retryMaxDelay,
    Duration resyncInterval,
    int managementPort,
    boolean leaderElectionEnabled,
    String podNamespace,
    String leaseName,
    int maxConcurrentReconciles,
    int maxConcurrentRequests,
    LogFormat logFormat,
    Duration terminationTimeout,
    String podName,
    Duration consentTtl,
    int oauthCallbackPort) {

  public static final String DEFAULT_BASE_URL = "https://api.cloud-elements.com/elements/api-v2";
  public static final int DEFAULT_MANAGEMENT_PORT = 8080;
  public static final String DEFAULT_LEASE_NAME = "campaign-monitor-operator";
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 20;

  /** Reconciles per Cloud Elements permit when MAX_CONCURRENT_RECONCILES is not set. */
  public static final int RECONCILES_PER_REQUEST = 2;

  public static final int DEFAULT_MAX_CONCURRENT_RECONCILES =
      RECONCILES_PER_REQUEST * DEFAULT_MAX_CONCURRENT_REQUESTS;

  /** Within the chart's 30 s {@code terminationGracePeriodSeconds}. */
  public static final Duration DEFAULT_TERMINATION_TIMEOUT = Duration.ofSeconds(20);

  public static final Duration DEFAULT_CONSENT_TTL = Duration.ofMinutes(15);
  public static final int DEFAULT_OAUTH_CALLBACK_PORT = 8081;

  /**
   * The operator's namespace when {@code POD_NAMESPACE} is unset, as when the jar runs outside a
   * pod.
   */
  public static final String DEFAULT_NAMESPACE = "default";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /**
   * The format of log lines; selected in logback.xml through the same {@code LOG_FORMAT} variable.
   */
  public enum LogFormat {
    JSON,
    TEXT;

    /** The value of {@code LOG_FORMAT}. */
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Exactly {@code json} or {@code text}, not blank: logback.xml picks the appender by this very
     * name, and takes {@code text} only when the variable is unset.
     */
    public static LogFormat parse(String value) {
      for (LogFormat f : values()) {
        if (f.value().equals(value)) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          "LOG_FORMAT must be json or text, but was '" + value + "'");
    }
  }

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
    String scheme = baseUrl.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new IllegalArgumentException(
          "CLOUD_ELEMENTS_BASE_URL must be an https:// URL, but was " + baseUrl);
    }
    if ("http".equals(scheme) && !allowPlainHttp) {
      throw new IllegalArgumentException(
          "CLOUD_ELEMENTS_BASE_URL is plain http ("
              + baseUrl
              + "); set CLOUD_ELEMENTS_ALLOW_PLAIN_HTTP=true to allow it (only for a simulator or a test)");
    }
    positive("CLOUD_ELEMENTS_TIMEOUT", requestTimeout);
    positive("RETRY_INITIAL_DELAY", retryInitialDelay);
    positive("RESYNC_INTERVAL", resyncInterval);
    if (retryMaxDelay.compareTo(retryInitialDelay) < 0) {
      throw new IllegalArgumentException(
          "RETRY_MAX_DELAY ("
              + Durations.format(retryMaxDelay)
              + ") must not be shorter than RETRY_INITIAL_DELAY ("
              + Durations.format(retryInitialDelay)
              + ")");
    }
    if (managementPort < 0 || managementPort > 65535) {
      throw new IllegalArgumentException(
          "MANAGEMENT_PORT must be a port number from 1 to 65535, but was " + managementPort);
    }
    podNamespace = podNamespace == null || podNamespace.isBlank() ? null : podNamespace.trim();
    if (podNamespace != null
        && (podNamespace.length() > 63 || !DNS_LABEL.matcher(podNamespace).matches())) {
      throw new IllegalArgumentException(
          "POD_NAMESPACE must be a namespace name (lower-case letters, digits and"
              + " '-'), but was '"
              + podNamespace
              + "'");
    }
    if (leaderElectionEnabled && podNamespace == null) {
      throw new IllegalArgumentException(
          "LEADER_ELECTION_ENABLED=true needs POD_NAMESPACE, the namespace of the"
              + " Lease (in a pod, set it from the downward API: fieldRef metadata.namespace)");
    }
    if (leaseName == null
        || leaseName.length() > 253
        || !DNS_SUBDOMAIN.matcher(leaseName).matches()) {
      throw new IllegalArgumentException(
          "LEASE_NAME must be a Kubernetes object name (lower-case letters, digits,"
              + " '-' and '.'), but was '"
              + leaseName
              + "'");
    }
    atLeastOne("MAX_CONCURRENT_RECONCILES", maxConcurrentReconciles);
    atLeastOne("MAX_CONCURRENT_REQUESTS", maxConcurrentRequests);
    if (logFormat == null) {
      throw new IllegalArgumentException("LOG_FORMAT must be json or text");
    }
    positive("TERMINATION_TIMEOUT", terminationTimeout);
    podName = podName == null || podName.isBlank() ? null : podName.trim();
    positive("CONSENT_TTL", consentTtl);
    if (oauthCallbackPort < 0 || oauthCallbackPort > 65535) {
      throw new IllegalArgumentException(
          "OAUTH_CALLBACK_PORT must be a port number from 1 to 65535, but was "
              + oauthCallbackPort);
    }
    if (oauthCallbackPort != 0 && oauthCallbackPort == managementPort) {
      throw new IllegalArgumentException(
          "OAUTH_CALLBACK_PORT must differ from MANAGEMENT_PORT ("
              + managementPort
              + "): the OAuth callback never shares the management port");
    }
  }

  /**
   * The settings of the Cloud Elements side, with the defaults of everything else: the management
   * port 8080, no leader election, the default concurrency limits and text logs.
   */
  public OperatorConfig(
      URI baseUrl,
      boolean allowPlainHttp,
      Set<String> watchNamespaces,
      Duration requestTimeout,
      Duration retryInitialDelay,
      Duration retryMaxDelay,
      Duration resyncInterval) {
    this(
        baseUrl,
        allowPlainHttp,
        watchNamespaces,
        requestTimeout,
        retryInitialDelay,
        retryMaxDelay,
        resyncInterval,
        DEFAULT_MANAGEMENT_PORT,
        false,
        null,
        DEFAULT_LEASE_NAME,
        DEFAULT_MAX_CONCURRENT_RECONCILES,
        DEFAULT_MAX_CONCURRENT_REQUESTS,
        LogFormat.TEXT,
        DEFAULT_TERMINATION_TIMEOUT,
        null,
        DEFAULT_CONSENT_TTL,
        DEFAULT_OAUTH_CALLBACK_PORT);
  }

  /** Reads the settings from environment variables, with their defaults. */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    return new EnvironmentReader(env).read();
  }

  /**
   * The operator's own namespace: {@link #podNamespace()}, or {@value #DEFAULT_NAMESPACE} when that
   * is unset.
   */
  public String operatorNamespace() {
    return podNamespace == null ? DEFAULT_NAMESPACE : podNamespace;
  }

  public OperatorConfig withConsentTtl(Duration ttl) {
    return new ConfigCopy(this).consentTtl(ttl).build();
  }

  public OperatorConfig withOauthCallbackPort(int port) {
    return new ConfigCopy(this).oauthCallbackPort(port).build();
  }

  public OperatorConfig withManagementPort(int port) {
    return new ConfigCopy(this).managementPort(port).build();
  }

  /** Leader election with a Lease named {@link #leaseName()} in the given namespace. */
  public OperatorConfig withLeaderElection(String leaseNamespace) {
    return new ConfigCopy(this).leaderElection(leaseNamespace).build();
  }

  public OperatorConfig withLeaseName(String name) {
    return new ConfigCopy(this).leaseName(name).build();
  }

  public OperatorConfig withMaxConcurrentReconciles(int n) {
    return new ConfigCopy(this).maxConcurrentReconciles(n).build();
  }

  public OperatorConfig withMaxConcurrentRequests(int n) {
    return new ConfigCopy(this).maxConcurrentRequests(n).build();
  }

  public OperatorConfig withTerminationTimeout(Duration timeout) {
    return new ConfigCopy(this).terminationTimeout(timeout).build();
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          name + " must be longer than 0, but was " + Durations.format(d));
    }
  }

  private static void atLeastOne(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(
          name + " must be a whole number of at least 1, but was '" + n + "'");
    }
  }
}
