import { ApiClient } from './api-client';
import { SessionStore } from './session';

function browserStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The app's one session and API client. */
export const sessionStore = new SessionStore(browserStorage());
export const api = new ApiClient(sessionStore);
