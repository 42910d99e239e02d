import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { takeInAppNavigation } from '../lib/router';

/**
 * A screen: sets the document title and, after an in-app navigation, moves focus to the heading so keyboard
 * and screen-reader users land at the start of the new content (a full page load leaves focus alone).
 */
export function Page(props: {
  title: string;
  intro?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} — Pass numérique`;
    if (takeInAppNavigation()) heading.current?.focus({ preventScroll: false });
  }, [props.title]);
  return (
    <section class={props.wide ? 'page page-wide' : 'page'} aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {props.title}
        </h1>
        {props.actions ? <div class="page-actions">{props.actions}</div> : null}
      </header>
      {props.intro ? <p class="intro">{props.intro}</p> : null}
      {props.children}
    </section>
  );
}
