import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Listens to events of a service while its element is connected, and stops when it is not.
 * The service is read on connect: elements get theirs from context, which a consumer
 * (added before this controller, by the decorator) fills in during the same connect.
 */
export class ListenController implements ReactiveController {
  private target?: EventTarget;

  constructor(
    host: ReactiveControllerHost,
    private readonly source: () => EventTarget | undefined,
    private readonly types: readonly string[],
    private readonly handler: (event: Event) => void,
    /** Also run the handler once on connect, to compute the initial state. */
    private readonly immediate = false,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.target = this.source();
    for (const type of this.types) this.target?.addEventListener(type, this.handler);
    if (this.immediate) this.handler(new Event(this.types[0]!));
  }

  hostDisconnected(): void {
    for (const type of this.types) this.target?.removeEventListener(type, this.handler);
    this.target = undefined;
  }
}
