package io.cloudelements.operator.reconciler;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.ResourceOperations;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Just enough of JOSDK's {@link Context} for the reconciler: a primary cache holding the given
 * resources (with the credentials index), resource operations that apply status and metadata
 * patches in memory and count them, and a delete event on demand. Everything else throws, so a test
 * notices when the reconciler starts to need more.
 */
final class FakeContext implements Context<CampaignMonitorInstance> {

  private final List<CampaignMonitorInstance> primaries = new ArrayList<>();
  private int statusPatches;
  private int metadataPatches;
  private long resourceVersion;
  private boolean deleteEvent;
  private boolean failNextMetadataPatch;
  private CampaignMonitorInstance primary;

  void add(CampaignMonitorInstance cr) {
    primaries.add(cr);
  }

  /** The resource has left the informer cache, as after its delete event. */
  void remove(CampaignMonitorInstance cr) {
    primaries.remove(cr);
  }

  int statusPatches() {
    return statusPatches;
  }

  int metadataPatches() {
    return metadataPatches;
  }

  /** The next metadata patch fails as the API server's 500 would, without taking effect. */
  void failNextMetadataPatch() {
    failNextMetadataPatch = true;
  }

  /** The next reconcile is for the delete event of the resource (after it left the API server). */
  void deleteEvent(boolean delete) {
    deleteEvent = delete;
  }

  @Override
  public IndexedResourceCache<CampaignMonitorInstance> getPrimaryCache() {
    return new PrimaryCache();
  }

  @Override
  public ResourceOperations<CampaignMonitorInstance> resourceOperations() {
    return new ResourceOperations<>(this) {
      @Override
      public CampaignMonitorInstance jsonPatchPrimaryStatus(
          CampaignMonitorInstance cr, UnaryOperator<CampaignMonitorInstance> change) {
        statusPatches++;
        return change.apply(cr);
      }

      @Override
      public CampaignMonitorInstance conflictRetryingPatchPrimary(
          UnaryOperator<CampaignMonitorInstance> change,
          Predicate<CampaignMonitorInstance> needed) {
        CampaignMonitorInstance cr = getPrimaryResource();
        if (!needed.test(cr)) {
          return cr;
        }
        if (failNextMetadataPatch) {
          failNextMetadataPatch = false;
          throw new KubernetesClientException("refused by the test", 500, null);
        }
        metadataPatches++;
        CampaignMonitorInstance stored = change.apply(cr);
        stored.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
        return stored;
      }
    };
  }

  private final class PrimaryCache implements IndexedResourceCache<CampaignMonitorInstance> {
    @Override
    public List<CampaignMonitorInstance> byIndex(String index, String key) {
      if (!CredentialsGuard.INDEX.equals(index)) {
        throw new UnsupportedOperationException("index " + index);
      }
      return primaries.stream().filter(cr -> CredentialsGuard.indexKeys(cr).contains(key)).toList();
    }

    @Override
    public Optional<CampaignMonitorInstance> get(ResourceID id) {
      return primaries.stream().filter(cr -> ResourceID.fromResource(cr).equals(id)).findFirst();
    }

    @Override
    public Stream<ResourceID> keys() {
      return primaries.stream().map(ResourceID::fromResource);
    }

    @Override
    public Stream<CampaignMonitorInstance> list(Predicate<CampaignMonitorInstance> predicate) {
      return primaries.stream().filter(predicate);
    }

    @Override
    public Stream<CampaignMonitorInstance> list(
        String namespace, Predicate<CampaignMonitorInstance> predicate) {
      return list(predicate.and(cr -> namespace.equals(cr.getMetadata().getNamespace())));
    }
  }

  @Override
  public Optional<RetryInfo> getRetryInfo() {
    return Optional.empty();
  }

  @Override
  public <R> Set<R> getSecondaryResources(Class<R> type, boolean deep) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <R> Stream<R> getSecondaryResourcesAsStream(Class<R> type, boolean deep) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <R> Optional<R> getSecondaryResource(Class<R> type, String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ControllerConfiguration<CampaignMonitorInstance> getControllerConfiguration() {
    throw new UnsupportedOperationException();
  }

  @Override
  public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
    throw new UnsupportedOperationException();
  }

  @Override
  public EventSourceRetriever<CampaignMonitorInstance> eventSourceRetriever() {
    throw new UnsupportedOperationException("Secrets come from FakeSecrets");
  }

  @Override
  public KubernetesClient getClient() {
    throw new UnsupportedOperationException("Secrets come from FakeSecrets");
  }

  @Override
  public ExecutorService getWorkflowExecutorService() {
    throw new UnsupportedOperationException();
  }

  /** The resource being reconciled, as JOSDK hands it to the context. */
  void primary(CampaignMonitorInstance cr) {
    primary = cr;
  }

  @Override
  public CampaignMonitorInstance getPrimaryResource() {
    return primary;
  }

  @Override
  public boolean isNextReconciliationImminent() {
    return false;
  }

  @Override
  public boolean isPrimaryResourceDeleted() {
    return deleteEvent;
  }

  @Override
  public boolean isPrimaryResourceFinalStateUnknown() {
    return false;
  }
}
