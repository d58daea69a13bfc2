package io.cloudelements.operator.cloudelements;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The changed parts of an instance, as the body of {@code PATCH /instances/{id}}.
 *
 * @param body the JSON body; it may hold the consumer key or secret, so it is never logged
 * @param changedParts names of the changed parts, for messages (never values)
 * @param secretValues the secret values in the body, to scrub from error messages
 */
public record InstancePatch(ObjectNode body, List<String> changedParts, List<String> secretValues) {

  public InstancePatch {
    changedParts = List.copyOf(changedParts);
    secretValues = List.copyOf(secretValues);
  }

  public boolean isEmpty() {
    return changedParts.isEmpty();
  }

  @Override
  public String toString() {
    return "InstancePatch" + changedParts;
  }
}
