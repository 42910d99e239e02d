import type { ComponentType } from 'preact';
import type { Role } from '../api/session';

/** What every screen receives from the router. */
export interface RouteProps {
  params: Record<string, string>;
  search: URLSearchParams;
}

export interface RouteDef {
  path: string;
  /** undefined: public page; otherwise the roles that may open it. */
  roles?: readonly Role[];
  component: ComponentType<RouteProps>;
}
