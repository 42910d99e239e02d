import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../lib/router';

/** An in-app link: a real <a href> (keyboard, new tab, screen readers) that navigates without reloading. */
export function Link(props: {
  href: string;
  class?: string;
  children: ComponentChildren;
  current?: boolean;
}) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => onLinkClick(event, props.href)}
    >
      {props.children}
    </a>
  );
}
