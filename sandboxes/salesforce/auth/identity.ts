import type { SRecord } from '../store/record-store.ts';

export interface IdentityContext {
  /** The sandbox's public base URL (`http://127.0.0.1:4410`). */
  baseUrl: string;
  orgId: string;
  apiVersion: string;
  user: SRecord;
  isAdmin: boolean;
}

const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : fallback;

/** The `urls` map the identity service and userinfo return, with `{version}` placeholders as documented. */
function serviceUrls(base: string, orgId: string, userId: string) {
  const org15 = orgId.slice(0, 15);
  const data = `${base}/services/data/v{version}`;
  return {
    enterprise: `${base}/services/Soap/c/{version}/${org15}`,
    metadata: `${base}/services/Soap/m/{version}/${org15}`,
    partner: `${base}/services/Soap/u/{version}/${org15}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${org15}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${base}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: base
  };
}

/** `GET /id/{orgId}/{userId}`: the identity service response (JSON format). */
export function identityResponse(ctx: IdentityContext) {
  const { user, baseUrl, orgId } = ctx;
  const userId = str(user.Id);
  return {
    id: `${baseUrl}/id/${orgId}/${userId}`,
    asserted_user: true,
    user_id: userId,
    organization_id: orgId,
    username: str(user.Username),
    nick_name: str(user.Alias, str(user.Username).split('@')[0]),
    display_name: str(user.Name),
    email: str(user.Email),
    email_verified: true,
    first_name: str(user.FirstName) || null,
    last_name: str(user.LastName),
    timezone: str(user.TimeZoneSidKey, 'America/Los_Angeles'),
    photos: {
      picture: `${baseUrl}/img/userprofile/default_profile_200_v2.png`,
      thumbnail: `${baseUrl}/img/userprofile/default_profile_45_v2.png`
    },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: serviceUrls(baseUrl, orgId, userId),
    active: user.IsActive !== false,
    user_type: 'STANDARD',
    language: str(user.LanguageLocaleKey, 'en_US'),
    locale: str(user.LocaleSidKey, 'en_US'),
    utcOffset: -28800000,
    last_modified_date: str(user.LastModifiedDate) || null,
    is_app_installed: true
  };
}

/** `GET /services/oauth2/userinfo`: the OpenID Connect userinfo response. */
export function userInfoResponse(ctx: IdentityContext) {
  const identity = identityResponse(ctx);
  return {
    sub: identity.id,
    user_id: identity.user_id,
    organization_id: identity.organization_id,
    preferred_username: identity.username,
    nickname: identity.nick_name,
    name: identity.display_name,
    email: identity.email,
    email_verified: true,
    given_name: identity.first_name,
    family_name: identity.last_name,
    zoneinfo: identity.timezone,
    photos: identity.photos,
    profile: `${ctx.baseUrl}/${identity.user_id}`,
    picture: identity.photos.picture,
    address: {},
    is_salesforce_integration_user: false,
    urls: identity.urls,
    active: identity.active,
    user_type: identity.user_type,
    language: identity.language,
    locale: identity.locale,
    utcOffset: identity.utcOffset,
    updated_at: identity.last_modified_date,
    is_app_installed: true
  };
}
