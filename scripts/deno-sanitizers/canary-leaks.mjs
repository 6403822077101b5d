// Leaks on purpose: 55-deno-sanitizers.mjs runs this first and requires both
// tests to FAIL with "Leaks detected". If they pass, the sanitizers are off
// (Deno 2.8 made them opt-in; a flag or default may change again) and the
// real cases would pass whatever they leak. Not a *.test.mjs file, so no
// `deno test` over the folder picks it up by accident.
const controlUrl = Deno.args[Deno.args.indexOf('--control') + 1];

Deno.test({
  name: 'canary: a timer left running (the op sanitizer must fail this)',
  sanitizeOps: true,
  sanitizeResources: true,
  fn() {
    setTimeout(() => {}, 5_000);
  },
});

Deno.test({
  name: 'canary: a fetch body left unread (the resource sanitizer must fail this)',
  sanitizeOps: true,
  sanitizeResources: true,
  async fn() {
    const response = await fetch(`${controlUrl}/servers/none/connections`);
    if (response.status !== 404) throw new Error(`the control server answered ${response.status}`);
  },
});
