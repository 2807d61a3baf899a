import { defineConfig } from 'vitest/config';
import { witWorld } from './scripts/vite-wit.ts';

export default defineConfig({
  plugins: [witWorld()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
