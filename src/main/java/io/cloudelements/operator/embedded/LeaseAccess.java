package io.cloudelements.operator.embedded;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;

/**
 * Answers the {@code SelfSubjectRulesReview} that JOSDK's leader election posts before it starts,
 * with the rights on Leases it needs: the CRUD mock refuses that review with 422, as it has no
 * name. An interceptor of the embedded API server ({@link ObservedCrudDispatcher#intercept}), for
 * runs with leader election on.
 */
public final class LeaseAccess {

  private LeaseAccess() {}

  /**
   * The answer to a rules review; null for every other request, which the CRUD mock then handles.
   */
  public static MockResponse answer(RecordedRequest request) {
    if (!"POST".equals(request.getMethod())
        || !request.getPath().contains("/selfsubjectrulesreviews")) {
      return null;
    }
    SelfSubjectRulesReview review =
        Serialization.unmarshal(
            new String(request.getBody().getBytes(), StandardCharsets.UTF_8),
            SelfSubjectRulesReview.class);
    review.setStatus(
        new SubjectRulesReviewStatusBuilder()
            .withIncomplete(false)
            .withResourceRules(
                new ResourceRuleBuilder()
                    .withApiGroups("coordination.k8s.io")
                    .withResources("leases")
                    .withVerbs("get", "create", "update", "patch")
                    .build())
            .build());
    return new MockResponse()
        .setResponseCode(201)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(review));
  }
}
