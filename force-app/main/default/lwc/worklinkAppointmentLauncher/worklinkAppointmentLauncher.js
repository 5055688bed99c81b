import { LightningElement, api } from 'lwc';

/**
 * The WorkLink launcher on a Service Appointment (record page and quick action): hands the record to
 * c-worklink-launcher, which resolves the job from Lightning Data Service.
 */
export default class WorklinkAppointmentLauncher extends LightningElement {
  @api recordId;
  @api assetIdField;
  @api defaultExpertLink;
  @api extraParameters;
  @api deferredLinkBase;
  @api parameterKeys;
}
