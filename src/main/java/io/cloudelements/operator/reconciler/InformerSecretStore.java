package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@link SecretStore} of a running operator: JOSDK's Secret informer, resource operations and
 * client.
 */
final class InformerSecretStore implements SecretStore {

  private final Context<CampaignMonitorInstance> context;
  private final String namespace;
  private final InformerEventSource<Secret, CampaignMonitorInstance> informer;

  @SuppressWarnings("unchecked")
  InformerSecretStore(CampaignMonitorInstance cr, Context<CampaignMonitorInstance> context) {
    this.context = context;
    this.namespace = cr.getMetadata().getNamespace();
    this.informer =
        (InformerEventSource<Secret, CampaignMonitorInstance>)
            context.eventSourceRetriever().getEventSourceFor(Secret.class);
  }

  @Override
  public Optional<Secret> find(String name) {
    return informer.get(new ResourceID(name, namespace));
  }

  @Override
  public Optional<Secret> fetch(String name) {
    return Optional.ofNullable(
        context.getClient().secrets().inNamespace(namespace).withName(name).get());
  }

  @Override
  public void create(Secret secret) {
    context.resourceOperations().create(secret);
  }

  @Override
  public void update(Secret secret) {
    context.resourceOperations().update(secret);
  }

  @Override
  public void edit(Secret current, UnaryOperator<Secret> change) {
    context.getClient().secrets().inNamespace(namespace).resource(current).edit(change);
  }

  @Override
  public void edit(String name, UnaryOperator<Secret> change) {
    context.getClient().secrets().inNamespace(namespace).withName(name).edit(change);
  }
}
