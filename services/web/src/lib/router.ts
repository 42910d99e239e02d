import { useEffect, useState } from 'preact/hooks';

// A tiny History-API router: the gateway answers index.html for every non-API path, so deep links work.

const CHANGE_EVENT = 'pass:navigate';

export interface Location {
  path: string;
  search: URLSearchParams;
}

function currentLocation(): Location {
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

let navigatedInApp = false;

/**
 * True once per in-app navigation: the new screen then moves focus to its heading. On a fresh page load
 * focus stays at the top of the document, so the skip link remains the first keyboard stop.
 */
export function takeInAppNavigation(): boolean {
  const value = navigatedInApp;
  navigatedInApp = false;
  return value;
}

/** Goes to an in-app path without reloading the page. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  navigatedInApp = true;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

/** The current location, re-rendering on navigation and on the back button. */
export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    const back = () => {
      navigatedInApp = true;
      update();
    };
    window.addEventListener('popstate', back);
    window.addEventListener(CHANGE_EVENT, update);
    return () => {
      window.removeEventListener('popstate', back);
      window.removeEventListener(CHANGE_EVENT, update);
    };
  }, []);
  return location;
}

/** Matches `/financeur/commandes/:id` against a path; returns the parameters or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.replace(/\/+$/, '').split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const expected = patternParts[i]!;
    const actual = pathParts[i]!;
    if (expected.startsWith(':')) params[expected.slice(1)] = decodeURIComponent(actual);
    else if (expected !== actual) return undefined;
  }
  return params;
}

/** Click handler for in-app links: keeps modified clicks (new tab) to the browser. */
export function onLinkClick(event: MouseEvent, href: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
    return;
  event.preventDefault();
  navigate(href);
}
