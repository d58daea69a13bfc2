package io.cloudelements.operator.cloudelements;

/** The Cloud Elements user and organization secrets of an account. */
public record AccountCredentials(String userSecret, String organizationSecret) {

  public String authorizationHeader() {
    return "User " + userSecret + ", Organization " + organizationSecret;
  }

  @Override
  public String toString() {
    return "AccountCredentials[userSecret=****, organizationSecret=****]";
  }
}
