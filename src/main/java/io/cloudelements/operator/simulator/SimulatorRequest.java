package io.cloudelements.operator.simulator;

import com.sun.net.httpserver.Headers;

/**
 * A request as the router sees it.
 *
 * @param method the HTTP method, upper case
 * @param path the path relative to the API base path, or the full path when {@code underBase} is
 *     false
 * @param underBase whether the request was under {@link CloudElementsSimulator#BASE_PATH}
 * @param rawQuery the raw query, or null
 * @param headers the request headers
 * @param body the body of a POST, PUT or PATCH (up to one byte over the limit), else null
 */
record SimulatorRequest(
    String method, String path, boolean underBase, String rawQuery, Headers headers, byte[] body) {}
