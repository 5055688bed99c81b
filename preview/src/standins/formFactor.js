// Stand-in for `@salesforce/client/formFactor`: the preview picks it from `?formFactor=Small|Medium|Large`
// so the phone layout can be shown on a desktop browser.
const FORM_FACTORS = ['Large', 'Medium', 'Small'];
const requested = new URLSearchParams(window.location.search).get('formFactor');

export default FORM_FACTORS.includes(requested) ? requested : 'Large';
