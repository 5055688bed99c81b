// Metadata types and fields that jsforce's older schema does not describe, written from the Metadata
// API Developer Guide (API 66–68) and the LWC configuration-file reference. One entry per type, with
// the page it comes from; the props are merged over jsforce's description of the same type.
import type { TypeDescription } from './type-schema.ts';

const META =
  'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta';

export const TYPE_ADDITIONS: Readonly<
  Record<string, TypeDescription & { readonly doc: string }>
> = {
  // Regions hold itemInstances since API 47.0 (componentInstances before).
  FlexiPageRegion: {
    doc: `${META}/meta_flexipage.htm`,
    props: { itemInstances: ['ItemInstance'] }
  },
  ItemInstance: {
    doc: `${META}/meta_flexipage.htm`,
    props: {
      componentInstance: '?ComponentInstance',
      fieldInstance: '?FieldInstance'
    }
  },
  ComponentInstance: {
    doc: `${META}/meta_flexipage.htm`,
    props: { identifier: '?string' }
  },
  FieldInstance: {
    doc: `${META}/meta_flexipage.htm`,
    props: {
      fieldInstanceProperties: ['ComponentInstanceProperty'],
      fieldItem: 'string',
      identifier: '?string',
      visibilityRule: '?UiFormulaRule'
    }
  },
  QuickAction: {
    doc: `${META}/meta_quickaction.htm`,
    props: { actionSubtype: '?string', lightningWebComponent: '?string' }
  },
  ExternalClientApplication: {
    doc: `${META}/meta_externalclientapplication.htm`,
    extends: 'Metadata',
    props: {
      contactEmail: '?string',
      contactPhone: '?string',
      description: '?string',
      distributionState: '?string',
      iconUrl: '?string',
      infoUrl: '?string',
      isProtected: '?boolean',
      label: 'string',
      logoUrl: '?string',
      managedType: '?string',
      orgScopedExternalApp: '?string'
    }
  },
  ExtlClntAppOauthSettings: {
    doc: `${META}/meta_extlclntappoauthsettings.htm`,
    extends: 'Metadata',
    props: {
      areAttributesIncludedInAssetToken: '?boolean',
      areCustomPermsIncludedInAssetToken: '?boolean',
      assetTokenAudiences: '?string',
      commaSeparatedOauthScopes: '?string',
      customAttributes: ['ExtlClntAppOauthSettingsAttribute'],
      externalClientApplication: 'string',
      isFirstPartyAppEnabled: '?boolean',
      label: '?string',
      oauthLink: '?string',
      singleLogoutUrl: '?string',
      trustedIpRanges: ['ExtlClntAppOauthIpRange']
    }
  },
  ExtlClntAppOauthSettingsAttribute: {
    doc: `${META}/meta_extlclntappoauthsettings.htm`,
    props: { formula: 'string', key: 'string' }
  },
  ExtlClntAppOauthIpRange: {
    doc: `${META}/meta_extlclntappoauthsettings.htm`,
    props: {
      description: '?string',
      endIpAddress: 'string',
      startIpAddress: 'string'
    }
  },
  ExtlClntAppConfigurablePolicies: {
    doc: `${META}/meta_extlclntappconfigurablepolicies.htm`,
    extends: 'Metadata',
    props: {
      externalClientApplication: 'string',
      isCanvasPluginEnabled: '?boolean',
      isEnabled: 'boolean',
      isOauthPluginEnabled: '?boolean',
      isSamlPluginEnabled: '?boolean',
      label: '?string'
    }
  },
  ExtlClntAppOauthConfigurablePolicies: {
    doc: `${META}/meta_extlclntappoauthconfigurablepolicies.htm`,
    extends: 'Metadata',
    props: {
      apexHandler: '?string',
      clientCredentialsFlowUser: '?string',
      commaSeparatedCustomScopes: '?string',
      commaSeparatedPermissionSet: '?string',
      commaSeparatedProfile: '?string',
      customAttributes: ['ExtlClntAppOauthSettingsAttribute'],
      executeHandlerAs: '?string',
      externalClientApplication: 'string',
      ipRelaxationPolicyType: '?string',
      isClientCredentialsFlowEnabled: '?boolean',
      isGuestCodeCredFlowEnabled: '?boolean',
      isNamedUserJwtEnabled: '?boolean',
      isTokenExchangeFlowEnabled: '?boolean',
      label: '?string',
      permittedUsersPolicyType: '?string',
      policyAction: '?string',
      refreshTokenPolicyType: '?string',
      refreshTokenValidityPeriod: '?number',
      refreshTokenValidityUnit: '?string',
      requiredSessionLevel: '?string',
      sessionTimeoutInMinutes: '?number'
    }
  },
  ExternalClientAppSettings: {
    doc: `${META}/meta_externalclientappsettings.htm`,
    extends: 'Metadata',
    props: {
      enableClientSecretInRestApiAccess: '?boolean',
      enableConsumerSecretApiAccess: '?boolean',
      enableExternalClientApps: '?boolean',
      enablePackageEcaOauthFromDevOrg: '?boolean'
    }
  },
  // jsforce types targetConfigs as an opaque string; the LWC guide describes its content.
  LightningComponentBundle: {
    doc: 'https://developer.salesforce.com/docs/platform/lwc/guide/reference-configuration-tags.html',
    props: { targetConfigs: '?LwcTargetConfigs' }
  },
  LwcTargetConfigs: {
    doc: 'https://developer.salesforce.com/docs/platform/lwc/guide/reference-configuration-tags.html',
    props: { targetConfig: ['LwcTargetConfig'] }
  },
  LwcTargetConfig: {
    doc: 'https://developer.salesforce.com/docs/platform/lwc/guide/reference-configuration-tags.html',
    props: {
      actionType: '?string',
      objects: '?LwcObjects',
      property: ['LwcProperty'],
      supportedFormFactors: '?LwcFormFactors'
    }
  },
  LwcProperty: {
    doc: 'https://developer.salesforce.com/docs/platform/lwc/guide/reference-configuration-tags.html',
    props: {}
  },
  LwcObjects: {
    doc: 'https://developer.salesforce.com/docs/platform/lwc/guide/reference-configuration-tags.html',
    props: { object: ['string'] }
  },
  LwcFormFactors: {
    doc: 'https://developer.salesforce.com/docs/platform/lwc/guide/reference-configuration-tags.html',
    props: { supportedFormFactor: ['LwcFormFactor'] }
  },
  LwcFormFactor: {
    doc: 'https://developer.salesforce.com/docs/platform/lwc/guide/reference-configuration-tags.html',
    props: {}
  }
};
