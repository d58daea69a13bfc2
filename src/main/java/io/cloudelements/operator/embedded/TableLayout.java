package io.cloudelements.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;

/** The columns of a type's server-side Table and how one object fills them. */
interface TableLayout {

  ArrayNode columnDefinitions();

  ArrayNode cells(JsonNode object, Instant now);
}
