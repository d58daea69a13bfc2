/**
 * What the tests share: the one stack ({@link io.cloudelements.operator.testing.OperatorStack}),
 * the canary secrets, the resource YAML, the kubeconfig writer and plain HTTP to the operator's own
 * servers.
 */
package io.cloudelements.operator.testing;
