package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.cloudelements.CloudElementsClient;
import io.cloudelements.operator.consent.ConsentStarter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * The collaborators of one {@link CampaignMonitorInstanceReconciler}, wired once: the memory, the
 * credentials guard, the Secrets, and the classes of the act and write-status steps.
 */
record ReconcilerParts(
    BiFunction<CampaignMonitorInstance, Context<CampaignMonitorInstance>, SecretStore> secretStores,
    ResourceMemories memories,
    CredentialsGuard credentials,
    RemoteActions actions,
    ResourceCleanup cleanup,
    StatusWriter statusWriter,
    NextReconcile nextReconcile,
    Clock clock) {

  /**
   * @param consent starts the consents of resources that obtain their OAuth code through the
   *     operator
   * @param unansweredPostSettle how long after a POST that got no answer the next POST waits (the
   *     first may still take effect); twice the request timeout is a good value
   * @param secretStores the Secrets of a resource's namespace during one reconcile; tests pass a
   *     fake
   */
  static ReconcilerParts of(
      CloudElementsClient cloudElements,
      ConsentStarter consent,
      Backoff backoff,
      EventPublisher events,
      Clock clock,
      Duration resyncInterval,
      Duration unansweredPostSettle,
      BiFunction<CampaignMonitorInstance, Context<CampaignMonitorInstance>, SecretStore>
          secretStores) {
    Reauthorizer reauthorizer = new Reauthorizer(cloudElements, events);
    ConsentStep consentStep = new ConsentStep(consent, events, clock);
    RemoteActions actions =
        new RemoteActions(
            new RemoteCreation(
                cloudElements, events, reauthorizer, consentStep, clock, unansweredPostSettle),
            new RemoteSync(cloudElements, events, reauthorizer, consentStep),
            clock,
            resyncInterval);
    ResourceMemories memories = new ResourceMemories();
    CredentialsGuard credentials = new CredentialsGuard();
    StatusWriter statusWriter = new StatusWriter(events, clock);
    NextReconcile nextReconcile = new NextReconcile(backoff, clock, resyncInterval);
    return new ReconcilerParts(
        secretStores,
        memories,
        credentials,
        actions,
        new ResourceCleanup(
            new RemoteDeletion(cloudElements, events, new PostSettle(clock, unansweredPostSettle)),
            memories,
            credentials,
            statusWriter,
            nextReconcile,
            clock),
        statusWriter,
        nextReconcile,
        clock);
  }
}
