// The official SDKs against a running gateway, with only their base URL changed (README, "HTTP API").
// Usage: MONKEY_BASE=http://127.0.0.1:8420 MONKEY_KEY=mk-... node check.mjs
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const base = process.env.MONKEY_BASE;
const key = process.env.MONKEY_KEY;
if (!base || !key) {
  console.error('sdk: set MONKEY_BASE and MONKEY_KEY');
  process.exit(2);
}
const model = 'demo/monkey-demo';
const messages = [{ role: 'user', content: 'create a REST API' }];
let passed = 0;
let failed = 0;

async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`sdk: ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`sdk: FAIL ${name}: ${e?.message ?? e}`);
  }
}

const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: key, maxRetries: 0 });

await check('openai chat.completions.create', async () => {
  const r = await openai.chat.completions.create({ model, messages });
  assert.match(r.choices[0].message.content, /offline demo/);
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.ok(r.usage.completion_tokens > 0);
});

await check('openai streaming with include_usage', async () => {
  const stream = await openai.chat.completions.create({
    model, messages, stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let usage;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.match(text, /offline demo/);
  assert.ok(usage && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens);
});

await check('openai models.list', async () => {
  const ids = [];
  for await (const m of openai.models.list()) ids.push(m.id);
  assert.ok(ids.includes(model), `models: ${ids.slice(0, 5)}...`);
});

await check('openai raises BadRequestError for an unknown model', async () => {
  await assert.rejects(openai.chat.completions.create({ model: 'openai/gpt-9', messages }),
    (e) => e instanceof OpenAI.BadRequestError && /unknown model/.test(e.message));
});

await check('openai raises AuthenticationError for a wrong key', async () => {
  const wrong = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'mk-dev-wrong', maxRetries: 0 });
  await assert.rejects(wrong.chat.completions.create({ model, messages }),
    (e) => e instanceof OpenAI.AuthenticationError);
});

const anthropic = new Anthropic({ baseURL: base, apiKey: key, maxRetries: 0 });

await check('anthropic messages.create', async () => {
  const m = await anthropic.messages.create({ model, max_tokens: 1024, messages });
  assert.match(m.content[0].text, /offline demo/);
  assert.equal(m.stop_reason, 'end_turn');
  assert.ok(m.usage.output_tokens > 0);
});

await check('anthropic messages.stream', async () => {
  const stream = anthropic.messages.stream({ model, max_tokens: 1024, messages });
  let text = '';
  stream.on('text', (t) => { text += t; });
  const final = await stream.finalMessage();
  assert.match(text, /offline demo/);
  assert.equal(final.content[0].text, text);
  assert.ok(final.usage.output_tokens > 0);
});

await check('anthropic models.list', async () => {
  const ids = [];
  for await (const m of anthropic.models.list()) ids.push(m.id);
  assert.ok(ids.includes(model), `models: ${ids.slice(0, 5)}...`);
});

await check('anthropic messages.countTokens', async () => {
  const r = await anthropic.messages.countTokens({ model, messages });
  assert.ok(r.input_tokens > 0);
});

await check('anthropic raises AuthenticationError for a wrong key', async () => {
  const wrong = new Anthropic({ baseURL: base, apiKey: 'mk-dev-wrong', maxRetries: 0 });
  await assert.rejects(wrong.messages.create({ model, max_tokens: 16, messages }),
    (e) => e instanceof Anthropic.AuthenticationError);
});

console.log(`sdk: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
