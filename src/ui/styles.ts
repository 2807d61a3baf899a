import { css } from 'lit';

/** Buttons, panels and badges shared by every element. */
export const shared = css`
  :host {
    display: block;
  }
  * {
    box-sizing: border-box;
  }
  h2 {
    font-size: 0.8rem;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--muted);
    margin: 0 0 0.6rem;
  }
  h3 {
    font-size: 1rem;
    margin: 0;
  }
  button,
  .button {
    font: inherit;
    border: 1px solid var(--border);
    background: var(--panel);
    color: var(--text);
    border-radius: 6px;
    padding: 0.3rem 0.7rem;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--accent);
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 1px;
  }
  button.primary {
    background: var(--accent);
    color: var(--accent-text);
    border-color: var(--accent);
  }
  button.danger {
    color: var(--bad);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  input,
  select {
    font: inherit;
    color: var(--text);
    background: var(--bg);
    border: 1px solid var(--border);
    border-radius: 6px;
    padding: 0.3rem 0.5rem;
    min-width: 0;
  }
  .panel {
    background: var(--panel);
    border: 1px solid var(--border);
    border-radius: var(--radius);
    padding: 0.9rem;
  }
  .muted {
    color: var(--muted);
  }
  .badge {
    display: inline-block;
    white-space: nowrap;
    overflow-wrap: normal;
    font-size: 0.75rem;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    border: 1px solid currentColor;
  }
  .badge.running {
    color: var(--ok);
  }
  .badge.starting {
    color: var(--warn);
  }
  .badge.error,
  .badge.killed {
    color: var(--bad);
  }
  .badge.installed,
  .badge.stopped {
    color: var(--muted);
  }
  .error-text {
    color: var(--bad);
  }
  code,
  pre {
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    font-size: 0.85em;
  }
  pre {
    background: var(--code);
    padding: 0.6rem;
    border-radius: 6px;
    overflow: auto;
    max-height: 16rem;
    margin: 0.4rem 0 0;
  }
  .row {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
`;
