#!/usr/bin/env node
// Minimal OpenAI *Responses API* server that Codex CLI can complete a real tool round trip against,
// and that records everything Codex sends. Dependency-free. It documents what a gateway's
// POST /v1/responses must give Codex back.
//
//   node capture-responses.mjs [--port P] [--log FILE] [--mode tool|text] [--omit EVENT,EVENT] [--no-event-lines]
//
// Prints "listening PORT" first. Every request -> one JSON line {ts, method, path, headers, body} in --log
// (authorization dropped).
//   POST /v1/responses (stream:true)  turn 1 (no function_call_output after the last user message, a shell-like
//                                     tool offered, --mode tool): a function_call output item for
//                                     exec_command {cmd} / shell {command[]} / shell_command {command}, else a
//                                     custom_tool_call for apply_patch; args streamed as
//                                     response.function_call_arguments.delta pieces.
//                                     turn 2 (a function_call_output / custom_tool_call_output present): text
//                                     "done: wrote hello.txt".
//                                     Event order: response.created, response.in_progress,
//                                     response.output_item.added, (deltas), response.output_item.done,
//                                     response.completed (with usage).
//   POST /v1/responses (stream:false) the same, as one JSON response object.
//   GET  /v1/models                   {"models":[]} (Codex's own shape) + OpenAI's {"data":[]} list.
//   anything else                     404 (logged).
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const arg = (n, d) => { const i = args.indexOf(n); return i >= 0 && i + 1 < args.length ? args[i + 1] : d; };
const PORT = Number(arg('--port', '0'));
const LOG = arg('--log', '');
const MODE = arg('--mode', 'tool');
// --omit a,b: leave these SSE event types out (to find what Codex really needs)
const OMIT = new Set(arg('--omit', '').split(',').filter(Boolean));
// --no-event-lines: send only `data:` lines (no `event:` line before each)
const EVENT_LINES = !args.includes('--no-event-lines');
const FILE_NAME = 'hello.txt';
const FILE_TEXT = 'hello from monkey';
const DONE_TEXT = 'done: wrote hello.txt';
const rid = (p) => p + crypto.randomBytes(16).toString('hex');

function log(req, raw, body) {
  if (!LOG) return;
  const headers = { ...req.headers };
  delete headers.authorization;
  fs.appendFileSync(LOG, JSON.stringify({ ts: new Date().toISOString(), method: req.method, path: req.url, headers, body: body ?? (raw.length ? raw.toString() : null) }) + '\n');
}

function toolName(t) { return t?.name ?? t?.function?.name ?? null; }

function decide(body) {
  const input = Array.isArray(body.input) ? body.input : [];
  let lastUser = -1;
  input.forEach((it, i) => { if (it?.type === 'message' && it.role === 'user') lastUser = i; });
  const hasResult = input.slice(lastUser + 1).some((it) => it?.type === 'function_call_output' || it?.type === 'custom_tool_call_output');
  if (hasResult) return { kind: 'text', text: DONE_TEXT };
  if (MODE !== 'tool') return { kind: 'text', text: 'Hello from the capture server.' };
  const names = (body.tools || []).map(toolName);
  const cmd = `printf '%s\\n' '${FILE_TEXT}' > ${FILE_NAME}`;
  if (names.includes('exec_command')) return { kind: 'function_call', name: 'exec_command', args: { cmd } };
  if (names.includes('shell')) return { kind: 'function_call', name: 'shell', args: { command: ['bash', '-lc', cmd] } };
  if (names.includes('shell_command')) return { kind: 'function_call', name: 'shell_command', args: { command: cmd } };
  if (names.includes('apply_patch')) return { kind: 'custom_tool_call', name: 'apply_patch', input: `*** Begin Patch\n*** Add File: ${FILE_NAME}\n+${FILE_TEXT}\n*** End Patch\n` };
  return { kind: 'text', text: 'No tool to call.' };
}

function respond(req, res, body) {
  const d = decide(body);
  const respId = rid('resp_');
  const created = Math.floor(Date.now() / 1000);
  const model = body.model || 'gpt-4.1-mini';
  let item;
  if (d.kind === 'text') item = { id: rid('msg_'), type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations: [], logprobs: [], text: d.text }] };
  else if (d.kind === 'function_call') item = { id: rid('fc_'), type: 'function_call', status: 'completed', arguments: JSON.stringify(d.args), call_id: rid('call_'), name: d.name };
  else item = { id: rid('ctc_'), type: 'custom_tool_call', status: 'completed', call_id: rid('call_'), name: d.name, input: d.input };
  const usage = { input_tokens: Math.ceil(JSON.stringify(body.input || '').length / 4), input_tokens_details: { cached_tokens: 0 }, output_tokens: 12, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 };
  usage.total_tokens = usage.input_tokens + usage.output_tokens;
  const base = { id: respId, object: 'response', created_at: created, status: 'in_progress', background: false, error: null, incomplete_details: null,
    instructions: null, max_output_tokens: null, model, output: [], parallel_tool_calls: !!body.parallel_tool_calls, previous_response_id: null,
    reasoning: { effort: null, summary: null }, store: !!body.store, temperature: 1.0, text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice || 'auto', tools: [], top_p: 1.0, truncation: 'disabled', usage: null, user: null, metadata: {} };
  const done = { ...base, status: 'completed', output: [item], usage };
  if (!body.stream) return send(res, 200, done);

  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': rid('req_') });
  let seq = 0;
  const ev = (type, data) => OMIT.has(type) || res.write(`${EVENT_LINES ? `event: ${type}\n` : ''}data: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
  ev('response.created', { response: base });
  ev('response.in_progress', { response: base });
  if (item.type === 'message') {
    const text = item.content[0].text;
    ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
    ev('response.content_part.added', { item_id: item.id, output_index: 0, content_index: 0, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
    for (const p of text.match(/.{1,6}/gs)) ev('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: p, logprobs: [] });
    ev('response.output_text.done', { item_id: item.id, output_index: 0, content_index: 0, text, logprobs: [] });
    ev('response.content_part.done', { item_id: item.id, output_index: 0, content_index: 0, part: item.content[0] });
  } else if (item.type === 'function_call') {
    ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } });
    for (const p of item.arguments.match(/.{1,8}/gs)) ev('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: p });
    ev('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: item.arguments });
  } else {
    ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', input: '' } });
    for (const p of item.input.match(/.{1,12}/gs)) ev('response.custom_tool_call_input.delta', { item_id: item.id, output_index: 0, delta: p });
    ev('response.custom_tool_call_input.done', { item_id: item.id, output_index: 0, input: item.input });
  }
  ev('response.output_item.done', { output_index: 0, item });
  ev('response.completed', { response: done });
  res.end();
}

function send(res, status, obj) {
  const s = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let raw = Buffer.concat(chunks);
    let body;
    try {
      // Codex may send the body zstd/gzip-compressed (content-encoding); node can inflate gzip/deflate/br
      const enc = req.headers['content-encoding'];
      if (enc === 'gzip') raw = zlib.gunzipSync(raw);
      else if (enc === 'br') raw = zlib.brotliDecompressSync(raw);
      else if (enc === 'deflate') raw = zlib.inflateSync(raw);
      else if (enc === 'zstd' && zlib.zstdDecompressSync) raw = zlib.zstdDecompressSync(raw);
      if (raw.length) body = JSON.parse(raw.toString());
    } catch { /* keep raw */ }
    log(req, raw, body);
    const path = req.url.split('?')[0];
    if (req.method === 'POST' && path === '/v1/responses') {
      if (!body) return send(res, 400, { error: { message: 'body must be JSON', type: 'invalid_request_error', param: null, code: null } });
      return respond(req, res, body);
    }
    if (req.method === 'GET' && path === '/v1/models') return send(res, 200, { object: 'list', data: [], models: [] });
    send(res, 404, { error: { message: `Unknown request URL: ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } });
  });
});
server.listen(PORT, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => server.close(() => process.exit(0)));
