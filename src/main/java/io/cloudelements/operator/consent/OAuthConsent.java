package io.cloudelements.operator.consent;

import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The operator-served OAuth consent, assembled: the state key (loaded, or created on first start,
 * in the operator's namespace), the {@link ConsentStarter} the reconciler uses, and the {@link
 * CallbackServer} on {@link OperatorConfig#oauthCallbackPort()}.
 */
public final class OAuthConsent implements AutoCloseable {

  private final KubernetesClient kubernetes;
  private final OperatorConfig config;
  private final StateSigner signer;
  private final ConsentStarter starter;
  private final Clock clock;
  private volatile CallbackServer server;

  private OAuthConsent(
      KubernetesClient kubernetes,
      OperatorConfig config,
      StateSigner signer,
      ConsentStarter starter,
      Clock clock) {
    this.kubernetes = kubernetes;
    this.config = config;
    this.signer = signer;
    this.starter = starter;
    this.clock = clock;
  }

  /** Reads (or creates) the state key; starts nothing. */
  public static OAuthConsent create(
      KubernetesClient kubernetes,
      OperatorConfig config,
      CloudElementsClient cloudElements,
      Clock clock) {
    SecureRandom random = new SecureRandom();
    StateSigner signer =
        new StateSigner(
            StateKeySecret.loadOrCreate(kubernetes, config.operatorNamespace(), random), random);
    return new OAuthConsent(
        kubernetes,
        config,
        signer,
        new ConsentStarter(cloudElements, signer, clock, config.consentTtl()),
        clock);
  }

  public ConsentStarter starter() {
    return starter;
  }

  /**
   * Starts the callback endpoint.
   *
   * @param bindAddress null for every interface
   * @param registry where {@code oauth_callbacks_total} goes; null for none
   */
  public synchronized void startCallback(InetAddress bindAddress, MeterRegistry registry) {
    if (server == null) {
      server =
          CallbackServer.start(
              bindAddress,
              config.oauthCallbackPort(),
              new ConsentCallback(kubernetes, signer, clock),
              registry);
    }
  }

  /** The port the callback endpoint listens on (useful with port 0). */
  public int callbackPort() {
    CallbackServer s = server;
    if (s == null) {
      throw new IllegalStateException("the OAuth callback endpoint is not started");
    }
    return s.port();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
