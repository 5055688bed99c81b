// Stand-in for `lightning-record-picker` (not in lightning-base-components): a native select of the
// sandbox's open work orders, firing `change` with `detail.recordId` as the platform component does.
import { LightningElement, api } from 'lwc';

export default class RecordPicker extends LightningElement {
  @api label;
  @api objectApiName;
  @api variant;
  @api placeholder = 'Search…';
  options = [];
  inputId = `picker-${Math.random().toString(36).slice(2)}`;

  connectedCallback() {
    if (this.objectApiName !== 'WorkOrder') return;
    fetch('/preview-api/work-orders')
      .then((response) => response.json())
      .then(({ workOrders }) => {
        this.options = workOrders.map((w) => ({
          value: w.id,
          label: [w.number, w.subject].filter(Boolean).join(' · ')
        }));
      })
      .catch(() => undefined);
  }

  handleChange(event) {
    const recordId = event.target.value || null;
    this.dispatchEvent(new CustomEvent('change', { detail: { recordId } }));
  }
}
