package io.cloudelements.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The request log: order, statuses, masked queries, counts. */
class RequestLogTest extends SimulatorHttpTest {

  @Test
  void recordsRequestsInOrderAndCountsThem() throws Exception {
    long id = createBasic("t");
    call("GET", "/instances/" + id, null);
    call("GET", "/instances?" + tagQuery("t"), null);
    send(request("GET", "/instances", null, "User nope, Organization nope"));

    List<RecordedRequest> requests = simulator.requests();
    assertThat(requests)
        .extracting(RecordedRequest::method, RecordedRequest::path, RecordedRequest::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST", "/instances", 200),
            org.assertj.core.groups.Tuple.tuple("GET", "/instances/" + id, 200),
            org.assertj.core.groups.Tuple.tuple("GET", "/instances", 200),
            org.assertj.core.groups.Tuple.tuple("GET", "/instances", 401));
    assertThat(requests.get(2).query()).isEqualTo(tagQuery("t"));
    assertThat(requests.get(0).query()).isNull();
    assertThat(requests).extracting(RecordedRequest::at).isSorted();
    assertThat(simulator.count("POST", "/instances")).isEqualTo(1);
    assertThat(simulator.count("GET", "/instances")).isEqualTo(3);
    assertThat(simulator.count("GET", "/instances/")).isEqualTo(1);
    assertThat(simulator.count(null, "/")).isEqualTo(4);
  }
}
