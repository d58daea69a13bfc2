package io.cloudelements.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** The annotations a person sets on a resource to steer the operator. */
public final class Annotations {

  /** {@code "true"} stops every remote call for the resource, deletion included. */
  public static final String PAUSED = "cloudelements.io/paused";

  /** {@code "true"} lets a resource be deleted without deleting its remote instance. */
  public static final String SKIP_REMOTE_DELETE = "cloudelements.io/skip-remote-delete";

  private Annotations() {}

  public static boolean isPaused(HasMetadata resource) {
    return isTrue(resource, PAUSED);
  }

  public static boolean skipsRemoteDelete(HasMetadata resource) {
    return isTrue(resource, SKIP_REMOTE_DELETE);
  }

  private static boolean isTrue(HasMetadata resource, String annotation) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations != null
        && "true".equalsIgnoreCase(annotations.getOrDefault(annotation, "").trim());
  }
}
