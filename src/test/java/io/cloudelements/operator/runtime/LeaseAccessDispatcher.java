package io.cloudelements.operator.runtime;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The Fabric8 CRUD mock, answering the {@code SelfSubjectRulesReview} that JOSDK's leader election posts before it
 * starts (the plain CRUD mock refuses it with 422, as it has no name) with the rights of the chart's Role on Leases.
 */
final class LeaseAccessDispatcher extends KubernetesCrudDispatcher {

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    if (!request.getPath().contains("/selfsubjectrulesreviews")) {
      return super.handleCreate(request);
    }
    SelfSubjectRulesReview review = Serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
    review.setStatus(new SubjectRulesReviewStatusBuilder()
        .withIncomplete(false)
        .withResourceRules(new ResourceRuleBuilder()
            .withApiGroups("coordination.k8s.io")
            .withResources("leases")
            .withVerbs("get", "list", "watch", "create", "update", "patch")
            .build())
        .build());
    return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
  }
}
