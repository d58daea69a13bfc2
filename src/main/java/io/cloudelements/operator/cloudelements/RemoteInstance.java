package io.cloudelements.operator.cloudelements;

import java.util.List;

/** An element instance as Cloud Elements reports it. */
public record RemoteInstance(
    long id, String name, String token, List<String> tags, boolean valid, boolean disabled) {

  public RemoteInstance {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  @Override
  public String toString() {
    return "RemoteInstance[id="
        + id
        + ", name="
        + name
        + ", token=****, tags="
        + tags
        + ", valid="
        + valid
        + ", disabled="
        + disabled
        + "]";
  }
}
