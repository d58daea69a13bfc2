package io.cloudelements.operator.config;

import io.cloudelements.operator.config.OperatorConfig.LogFormat;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * A copy of an {@link OperatorConfig} with some settings changed, behind the record's withers; the
 * record's constructor checks the result as it checks any other.
 */
final class ConfigCopy {

  private final URI baseUrl;
  private final boolean allowPlainHttp;
  private final Set<String> watchNamespaces;
  private final Duration requestTimeout;
  private final Duration retryInitialDelay;
  private final Duration retryMaxDelay;
  private final Duration resyncInterval;
  private int managementPort;
  private boolean leaderElectionEnabled;
  private String podNamespace;
  private String leaseName;
  private int maxConcurrentReconciles;
  private int maxConcurrentRequests;
  private final LogFormat logFormat;
  private Duration terminationTimeout;
  private final String podName;
  private Duration consentTtl;
  private int oauthCallbackPort;

  ConfigCopy(OperatorConfig c) {
    baseUrl = c.baseUrl();
    allowPlainHttp = c.allowPlainHttp();
    watchNamespaces = c.watchNamespaces();
    requestTimeout = c.requestTimeout();
    retryInitialDelay = c.retryInitialDelay();
    retryMaxDelay = c.retryMaxDelay();
    resyncInterval = c.resyncInterval();
    managementPort = c.managementPort();
    leaderElectionEnabled = c.leaderElectionEnabled();
    podNamespace = c.podNamespace();
    leaseName = c.leaseName();
    maxConcurrentReconciles = c.maxConcurrentReconciles();
    maxConcurrentRequests = c.maxConcurrentRequests();
    logFormat = c.logFormat();
    terminationTimeout = c.terminationTimeout();
    podName = c.podName();
    consentTtl = c.consentTtl();
    oauthCallbackPort = c.oauthCallbackPort();
  }

  ConfigCopy managementPort(int port) {
    managementPort = port;
    return this;
  }

  ConfigCopy leaderElection(String leaseNamespace) {
    leaderElectionEnabled = true;
    podNamespace = leaseNamespace;
    return this;
  }

  ConfigCopy leaseName(String name) {
    leaseName = name;
    return this;
  }

  ConfigCopy maxConcurrentReconciles(int n) {
    maxConcurrentReconciles = n;
    return this;
  }

  ConfigCopy maxConcurrentRequests(int n) {
    maxConcurrentRequests = n;
    return this;
  }

  ConfigCopy terminationTimeout(Duration timeout) {
    terminationTimeout = timeout;
    return this;
  }

  ConfigCopy consentTtl(Duration ttl) {
    consentTtl = ttl;
    return this;
  }

  ConfigCopy oauthCallbackPort(int port) {
    oauthCallbackPort = port;
    return this;
  }

  OperatorConfig build() {
    return new OperatorConfig(
        baseUrl,
        allowPlainHttp,
        watchNamespaces,
        requestTimeout,
        retryInitialDelay,
        retryMaxDelay,
        resyncInterval,
        managementPort,
        leaderElectionEnabled,
        podNamespace,
        leaseName,
        maxConcurrentReconciles,
        maxConcurrentRequests,
        logFormat,
        terminationTimeout,
        podName,
        consentTtl,
        oauthCallbackPort);
  }
}
