package io.cloudelements.operator.embedded;

import io.cloudelements.operator.runtime.ApiServerRequests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * An in-process Kubernetes API: the Fabric8 mock server in CRUD mode over plain HTTP (or HTTPS with
 * a self-signed certificate), with the generated CampaignMonitorInstance CRD registered so that
 * status is a subresource, and with what real kubectl needs (discovery, Tables, field selectors,
 * plain-HTTP watches; see {@link ObservedCrudDispatcher}). It does no schema validation and no
 * garbage collection.
 */
public final class EmbeddedKubernetes implements AutoCloseable {

  public static final String CRD_RESOURCE =
      "/META-INF/fabric8/campaignmonitorinstances.cloudelements.io-v1.yml";

  /** Held here so that its level sticks: the mock server logs every request at INFO otherwise. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final ObservedCrudDispatcher dispatcher;
  private final KubernetesClient adminClient;

  private EmbeddedKubernetes(KubernetesMockServer server, ObservedCrudDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.adminClient =
        server.createClient(
            b ->
                b.withHttpClientFactory(new JdkHttpClientFactory())
                    .withHttpClientBuilderConsumer(
                        h ->
                            h.addOrReplaceInterceptor(
                                "admin-agent",
                                new Interceptor() {
                                  @Override
                                  public void before(
                                      BasicBuilder builder, HttpRequest request, RequestTags tags) {
                                    builder.setHeader(
                                        "User-Agent", ObservedCrudDispatcher.ADMIN_AGENT);
                                  }
                                })));
  }

  public static EmbeddedKubernetes start() {
    return start(false);
  }

  /**
   * @param https whether to serve HTTPS with a self-signed certificate (which its clients trust)
   */
  public static EmbeddedKubernetes start(boolean https) {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    CustomResourceDefinition crd = crd();
    ObservedCrudDispatcher dispatcher = new ObservedCrudDispatcher(servedResources(crd));
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, https);
    server.init();
    EmbeddedKubernetes kubernetes = new EmbeddedKubernetes(server, dispatcher);
    kubernetes.adminClient.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    return kubernetes;
  }

  /**
   * What discovery shows: the built-in types the operator and the demo use, from the Fabric8 model
   * (short names are not in the model), and the custom resource from its CRD.
   */
  static List<ServedResource> servedResources(CustomResourceDefinition crd) {
    List<ServedResource> served =
        new ArrayList<>(
            List.of(
                ServedResource.of(Namespace.class, "ns"),
                ServedResource.of(Secret.class),
                ServedResource.of(ConfigMap.class, "cm"),
                ServedResource.of(Event.class, "ev"),
                ServedResource.of(Lease.class),
                ServedResource.of(io.fabric8.kubernetes.api.model.events.v1.Event.class, "ev"),
                ServedResource.of(CustomResourceDefinition.class, "crd", "crds")));
    served.addAll(ServedResource.of(crd));
    return served;
  }

  /** The generated CRD, as packaged in the jar. */
  public static CustomResourceDefinition crd() {
    try (InputStream in = EmbeddedKubernetes.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            CRD_RESOURCE + " is missing from the classpath; run mvn package");
      }
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
          in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new client on the JDK HTTP client, as the operator uses. */
  public KubernetesClient newClient() {
    return server.createClient(new JdkHttpClientFactory());
  }

  /** A new client on the JDK HTTP client, its requests timed by {@code requests}. */
  public KubernetesClient newClient(ApiServerRequests requests) {
    return server.createClient(
        b ->
            b.withHttpClientFactory(new JdkHttpClientFactory())
                .withHttpClientBuilderConsumer(
                    h -> h.addOrReplaceInterceptor(ApiServerRequests.NAME, requests)));
  }

  /** Counts requests by verb and lets tests intercept them. */
  public ObservedCrudDispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * A client for setting up and inspecting state; the API server adds no latency to its requests.
   */
  public KubernetesClient client() {
    return adminClient;
  }

  public String url() {
    return server.url("/");
  }

  @Override
  public void close() {
    adminClient.close();
    dispatcher.close();
    server.destroy();
  }
}
