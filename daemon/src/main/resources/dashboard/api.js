// The one way pages reach the gateway: same-origin fetches that carry the session cookie, the CSRF token on every
// change, and errors turned into the envelope's message.

let csrfToken = null;
let onSignedOut = () => {};

export function setCsrf(token) {
  csrfToken = token;
}

/** What to do when the API says the session ended (401): show the sign-in, keeping the page. */
export function whenSignedOut(handler) {
  onSignedOut = handler;
}

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

export async function api(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (method !== 'GET' && method !== 'HEAD') {
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', 'The gateway did not answer; is it running?');
  }
  if (response.status === 204) return null;
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const err = json && json.error ? json.error : {};
    const error = new ApiError(response.status, err.code || 'HTTP_' + response.status,
      err.message || `The gateway answered ${response.status}.`, err.details);
    if (response.status === 401 && !path.startsWith('/dashboard/api/login')) onSignedOut(error);
    throw error;
  }
  return json;
}

export const get = path => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const del = path => api('DELETE', path);
