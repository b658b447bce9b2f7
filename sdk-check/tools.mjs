// The official SDKs with tools and images, against a gateway whose openai and anthropic providers point at the
// scripted fake upstream (agent-check/fake-upstream.mjs): it answers a first turn with a call of the first tool
// offered (each required property "monkey") and a turn carrying the tool's result with "done: ...".
// Usage: MONKEY_BASE=http://127.0.0.1:8420 MONKEY_KEY=mk-... node tools.mjs
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const base = process.env.MONKEY_BASE;
const key = process.env.MONKEY_KEY;
if (!base || !key) {
  console.error('sdk: set MONKEY_BASE and MONKEY_KEY');
  process.exit(2);
}
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

const weather = {
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
// A 1x1 PNG.
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: key, maxRetries: 0 });
const anthropic = new Anthropic({ baseURL: base, apiKey: key, maxRetries: 0 });

for (const model of ['openai/gpt-4.1-mini', 'anthropic/claude-sonnet-4-5']) {
  await check(`openai chat.completions with tools, two turns (${model})`, async () => {
    const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const r = await openai.chat.completions.create({ model, messages, tools: [{ type: 'function', function: weather }] });
    const call = r.choices[0].message.tool_calls?.[0];
    assert.equal(r.choices[0].finish_reason, 'tool_calls');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'monkey' });
    messages.push(r.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'sunny' });
    const r2 = await openai.chat.completions.create({ model, messages, tools: [{ type: 'function', function: weather }] });
    assert.match(r2.choices[0].message.content, /done/);
    assert.equal(r2.choices[0].finish_reason, 'stop');
  });

  await check(`openai chat.completions streamed tool call (${model})`, async () => {
    const stream = openai.chat.completions.stream({
      model, messages: [{ role: 'user', content: 'Weather?' }], tools: [{ type: 'function', function: weather }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0].message.tool_calls[0];
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'monkey' });
    assert.ok(final.usage.completion_tokens > 0);
  });

  await check(`openai chat.completions with an image (${model})`, async () => {
    const r = await openai.chat.completions.create({
      model, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }],
    });
    assert.equal(r.choices[0].finish_reason, 'stop');
  });

  await check(`openai responses with tools, two turns (${model})`, async () => {
    const tools = [{ type: 'function', ...weather }];
    const r = await openai.responses.create({ model, input: 'What is the weather in Paris?', tools, store: false });
    const call = r.output.find((o) => o.type === 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'monkey' });
    const r2 = await openai.responses.create({
      model, store: false, tools,
      input: [{ role: 'user', content: 'What is the weather in Paris?' }, call,
        { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
    });
    assert.match(r2.output_text, /done/);
  });

  await check(`openai responses streamed tool call (${model})`, async () => {
    const stream = openai.responses.stream({ model, input: 'Weather?', tools: [{ type: 'function', ...weather }], store: false });
    const final = await stream.finalResponse();
    const call = final.output.find((o) => o.type === 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.ok(final.usage.output_tokens > 0);
  });

  const tools = [{ name: weather.name, description: weather.description, input_schema: weather.parameters }];
  await check(`anthropic messages with tools, two turns (${model})`, async () => {
    const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const m = await anthropic.messages.create({ model, max_tokens: 1024, messages, tools });
    const use = m.content.find((b) => b.type === 'tool_use');
    assert.equal(m.stop_reason, 'tool_use');
    assert.equal(use.name, 'get_weather');
    assert.deepEqual(use.input, { city: 'monkey' });
    messages.push({ role: 'assistant', content: m.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny' }] });
    const m2 = await anthropic.messages.create({ model, max_tokens: 1024, messages, tools });
    assert.match(m2.content.find((b) => b.type === 'text').text, /done/);
  });

  await check(`anthropic messages.stream tool call (${model})`, async () => {
    const stream = anthropic.messages.stream({ model, max_tokens: 1024, tools, messages: [{ role: 'user', content: 'Weather?' }] });
    const final = await stream.finalMessage();
    const use = final.content.find((b) => b.type === 'tool_use');
    assert.deepEqual(use.input, { city: 'monkey' });
    assert.equal(final.stop_reason, 'tool_use');
  });

  await check(`anthropic messages with an image (${model})`, async () => {
    const m = await anthropic.messages.create({ model, max_tokens: 256, messages: [{ role: 'user', content: [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
      { type: 'text', text: 'What is this?' }] }] });
    assert.equal(m.stop_reason, 'end_turn');
  });
}

await check('a model without vision refuses an image with 422 (openai SDK)', async () => {
  await assert.rejects(openai.chat.completions.create({ model: 'demo/monkey-demo', messages: [{ role: 'user', content: [
    { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }] }),
  (e) => e instanceof OpenAI.UnprocessableEntityError && /vision/.test(e.message));
});

console.log(`sdk: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
