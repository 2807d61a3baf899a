import { expect, test } from './fixtures.ts';

test('a genuine Hydrust site-provider runs unmodified: get-info fills its card, core events in, published events out', async ({ playground, page }) => {
  await playground.installSample('hydrust-provider');
  const plugin = playground.plugin('hydrust-provider');
  await expect(plugin).toContainText('Hydrust provider');
  await expect(plugin.getByTestId('plugin-description')).toHaveText('Resolves YouTube, Vimeo and SoundCloud links (Hydrust site-provider).');
  await playground.enable('hydrust-provider');

  const resolve = plugin.getByTestId('hydrust-resolve');
  await resolve.getByLabel('URL to resolve').fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
  await resolve.getByRole('button').click();
  const results = plugin.getByTestId('hydrust-results').locator('li');
  await expect(results).toHaveText([
    'plugin:identified "youtube"',
    'plugin:result-ready {"title":"YouTube video dQw4w9WgXcQ","videoUrl":"https://www.youtube.com/embed/dQw4w9WgXcQ"}',
  ]);
  await expect(playground.trace('hydrust-provider', 'event')).toContainText(['core:intent-resolve {"value":"https://www.youtube.com/watch?v=dQw4w9WgXcQ"}']);
  await expect(playground.trace('hydrust-provider', 'published')).toHaveCount(2);

  // SoundCloud needs the browser to observe the stream first.
  await resolve.getByLabel('URL to resolve').fill('https://soundcloud.com/artist/track');
  await resolve.getByRole('button').click();
  await expect(results.nth(3)).toHaveText('plugin:request-browser {"title":"SoundCloud artist/track","videoUrl":"https://soundcloud.com/artist/track"}');
  const observed = plugin.getByTestId('hydrust-observed');
  await observed.getByLabel('Browser observed').fill('https://cdn.example.net/stream.mp3');
  await observed.getByRole('button').click();
  await expect(results.nth(4)).toHaveText(
    'plugin:result-ready {"title":"SoundCloud artist/track","videoUrl":"https://soundcloud.com/artist/track","audioUrl":"https://cdn.example.net/stream.mp3"}',
  );

  // A members-only page wants a captcha.
  await resolve.getByLabel('URL to resolve').fill('https://members.example.com/show/1');
  await resolve.getByRole('button').click();
  await expect(results.nth(6)).toHaveText('plugin:request-captcha "https://members.example.com/show/1"');
  const captcha = plugin.getByTestId('hydrust-captcha');
  await captcha.getByLabel('Captcha token').fill('tok-123');
  await captcha.getByRole('button').click();
  await expect(results.nth(7)).toContainText(
    'plugin:result-ready {"title":"Members-only /show/1","videoUrl":"https://members.example.com/show/1?token=tok-123"}',
  );

  // A URL it does not handle: nothing published, its console output is in the trace.
  await resolve.getByLabel('URL to resolve').fill('https://example.org/nothing');
  await resolve.getByRole('button').click();
  await expect(playground.trace('hydrust-provider', 'log')).toContainText(['not a URL this provider handles: https://example.org/nothing']);
  await expect(results).toHaveCount(8);

  // It is not a media-server plugin: media events do not reach it.
  await page.getByTestId('peer-connect').click();
  await expect(playground.trace('hydrust-provider', 'event').filter({ hasText: 'on_peer' })).toHaveCount(0);
});
