import { createContext } from '@lit/context';
import type { Playground } from '../host/playground.ts';

/** The page's services; provided by <pp-app>, consumed by every element that needs them. */
export const playgroundContext = createContext<Playground | undefined>(Symbol('playground'));
