package io.cloudelements.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Cloud Elements element instance for Campaign Monitor, managed by this operator. */
@Group(CampaignMonitorInstance.GROUP)
@Version(CampaignMonitorInstance.VERSION)
@Kind("CampaignMonitorInstance")
@Plural("campaignmonitorinstances")
@ShortNames("cmi")
@io.fabric8.kubernetes.model.annotation.Categories("cloudelements")
@AdditionalPrinterColumn(
    name = "READY",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "REASON",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(
    name = "INSTANCE-ID",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.instanceId")
@AdditionalPrinterColumn(
    name = "SECRET",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.secretName")
@AdditionalPrinterColumn(
    name = "CONSENT-URL",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    jsonPath = ".status.authorization.url")
@AdditionalPrinterColumn(
    name = "AGE",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class CampaignMonitorInstance
    extends CustomResource<CampaignMonitorInstanceSpec, CampaignMonitorInstanceStatus>
    implements Namespaced {

  public static final String GROUP = "cloudelements.io";
  public static final String VERSION = "v1alpha1";

  @Override
  @io.fabric8.generator.annotation.Required
  public CampaignMonitorInstanceSpec getSpec() {
    return super.getSpec();
  }
}
