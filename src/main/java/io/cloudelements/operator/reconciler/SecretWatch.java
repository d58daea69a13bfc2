package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Watches every Secret a resource references or owns (the output Secret, and the OAuth code Secret
 * the consent callback writes), so that creating or editing one triggers a reconcile; an update of
 * finalizers alone does not ({@link SecretChangeFilter}).
 */
final class SecretWatch {

  private static final String SECRET_INDEX = "secrets-by-name";

  private SecretWatch() {}

  /**
   * The Secret informer, with the indexes of the primary cache it and {@link CredentialsGuard} look
   * up.
   */
  static InformerEventSource<Secret, CampaignMonitorInstance> prepare(
      EventSourceContext<CampaignMonitorInstance> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            SECRET_INDEX,
            cr ->
                Stream.concat(
                        InputResolver.watchedSecretNames(cr).stream(),
                        Stream.of(InstanceSecret.nameOf(cr)))
                    .map(name -> cr.getMetadata().getNamespace() + "/" + name)
                    .distinct()
                    .toList());
    context.getPrimaryCache().addIndexer(CredentialsGuard.INDEX, CredentialsGuard::indexKeys);
    var config =
        InformerEventSourceConfiguration.from(Secret.class, CampaignMonitorInstance.class)
            .withSecondaryToPrimaryMapper(
                secret ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            SECRET_INDEX,
                            secret.getMetadata().getNamespace()
                                + "/"
                                + secret.getMetadata().getName())
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withOnUpdateFilter(new SecretChangeFilter())
            .withNamespacesInheritedFromController()
            .build();
    return new InformerEventSource<>(config, context);
  }
}
