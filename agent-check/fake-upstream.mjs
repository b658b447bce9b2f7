#!/usr/bin/env node
// Scripted fake AI provider for the agent end-to-end check. Dependency-free.
//
//   node fake-upstream.mjs [--port P] [--log FILE] [--host 127.0.0.1]
//
// Prints "listening PORT" as its first stdout line (use --port 0 for a free port).
// Speaks both upstream wire formats, streaming and non-streaming:
//   POST /v1/messages               Anthropic Messages (also ?beta=true)
//   POST /v1/messages/count_tokens  Anthropic token count
//   POST /v1/chat/completions       OpenAI Chat Completions
//   GET  /v1/models                 a small model list (both shapes merged)
//   HEAD / , GET /                  200
// Behaviour, decided from the request alone (deterministic):
//   * the request offers a file-writing tool and the last user turn carries no tool result
//       -> ONE tool call that creates hello.txt containing "hello from monkey" in the client's cwd:
//          Write{file_path, content} (Claude Code), else exec_command{cmd} / shell{command[]} /
//          shell_command{command} / apply_patch{input} (Codex), whichever is offered first in that order;
//   * the last user turn carries a tool result -> text "done: wrote hello.txt";
//   * anything else (titles, topic checks, quota probes...) -> a short plain text.
// The client's working directory (for Write's absolute file_path) is read from the request
// (a "(workdir: /x)" marker in the prompt, else Claude Code's "Primary working directory: /x" line or Codex's
// <cwd>/x</cwd>), else $FAKE_WORKDIR, else process.cwd(). Shell-like tools run a relative command in the client's cwd.
// Every request is appended to --log FILE as one JSON line {ts, method, path, headers, body}
// (authorization / x-api-key / api-key headers are dropped).
// FAKE_OMIT / FAKE_NO_EVENT_LINES: see below (experiments only).
// FAKE_THINKING=1: when an Anthropic request enables thinking, a thinking block (with signature) leads the answer.
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';

const args = process.argv.slice(2);
function arg(name, dflt) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
}
const PORT = Number(arg('--port', '0'));
const HOST = arg('--host', '127.0.0.1');
const LOG = arg('--log', process.env.FAKE_LOG || '');
const THINKING = process.env.FAKE_THINKING === '1';
// Experiments (what do clients really need?): FAKE_OMIT=message_stop,ping leaves these Anthropic SSE events out;
// FAKE_NO_EVENT_LINES=1 sends Anthropic SSE without the `event:` lines.
const OMIT = new Set((process.env.FAKE_OMIT || '').split(',').filter(Boolean));
const EVENT_LINES = process.env.FAKE_NO_EVENT_LINES !== '1';

const FILE_NAME = 'hello.txt';
const FILE_CONTENT = 'hello from monkey\n';
const DONE_TEXT = 'done: wrote hello.txt';
const SIDE_TEXT = 'Hello from the fake upstream.';
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'proxy-authorization', 'cookie']);

function logRequest(req, raw, body) {
  if (!LOG) return;
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!SECRET_HEADERS.has(k)) headers[k] = v;
  const line = JSON.stringify({ ts: new Date().toISOString(), method: req.method, path: req.url, headers,
    body: body !== undefined ? body : raw.length ? raw.toString('utf8') : null });
  fs.appendFileSync(LOG, line + '\n');
}

const rid = (prefix, n = 24) => prefix + crypto.randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n);
const approxTokens = (obj) => Math.max(1, Math.ceil(JSON.stringify(obj ?? '').length / 4));

// ---------------------------------------------------------------- request analysis (both formats)

function textOf(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p) => (typeof p === 'string' ? p : p?.text ?? p?.content ?? '')).map((t) => (typeof t === 'string' ? t : textOf(t))).join('\n');
}

function findWorkdir(texts) {
  // 1. an explicit "(workdir: /abs/path)" in the prompt (run.sh puts it there), 2. the clients' environment blurbs
  for (const t of texts) {
    const m = /\(workdir: (\/[^)\s]+)\)/.exec(t);
    if (m) return m[1];
  }
  for (const t of texts) {
    let m = /<cwd>\s*([^<\n]+?)\s*<\/cwd>/.exec(t);
    if (m) return m[1];
    m = /(?:^|\n)\s*(?:-\s*)?(?:Primary working directory|Working directory|Current working directory|cwd)\s*:\s*(\/[^\n]*?)\s*(?:\n|$)/i.exec(t);
    if (m) return m[1];
  }
  return process.env.FAKE_WORKDIR || process.cwd();
}

const shq = (s) => "'" + String(s).replace(/'/g, `'\\''`) + "'";

// tools: [{name, params}] in the order offered. Returns {name, input} or null.
function chooseToolCall(tools, workdir) {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const cmd = `printf '%s\\n' ${shq(FILE_CONTENT.trimEnd())} > ${FILE_NAME}`;
  if (byName.has('Write')) return { name: 'Write', input: { file_path: `${workdir.replace(/\/+$/, '')}/${FILE_NAME}`, content: FILE_CONTENT } };
  if (byName.has('exec_command')) return { name: 'exec_command', input: { cmd } };
  if (byName.has('shell')) return { name: 'shell', input: { command: ['bash', '-lc', cmd] } };
  if (byName.has('shell_command')) return { name: 'shell_command', input: { command: cmd } };
  if (byName.has('apply_patch')) {
    const patch = `*** Begin Patch\n*** Add File: ${FILE_NAME}\n+${FILE_CONTENT.trimEnd()}\n*** End Patch\n`;
    return { name: 'apply_patch', input: { input: patch } };
  }
  if (byName.has('Bash')) return { name: 'Bash', input: { command: cmd, description: 'Create hello.txt' } };
  // Any other tool (the SDK checks' get_weather): call the first one, each required property set to "monkey".
  if (tools.length > 0) {
    const input = {};
    for (const prop of tools[0].params?.required ?? []) input[prop] = 'monkey';
    return { name: tools[0].name, input };
  }
  return null;
}

function analyzeAnthropic(body) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages[messages.length - 1];
  const lastHasToolResult = !!(last && last.role === 'user' && Array.isArray(last.content) && last.content.some((b) => b?.type === 'tool_result'));
  const tools = (body.tools || []).filter((t) => t && t.name && (!t.type || t.type === 'custom')).map((t) => ({ name: t.name, params: t.input_schema }));
  const texts = [textOf(body.system), ...messages.map((m) => textOf(m.content))];
  return { lastHasToolResult, tools, workdir: findWorkdir(texts) };
}

function analyzeOpenAI(body) {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  // the "last user turn" = the messages after the last assistant message; a tool result there is role "tool"
  let i = messages.length - 1;
  let lastHasToolResult = false;
  while (i >= 0 && messages[i].role !== 'assistant') { if (messages[i].role === 'tool' || messages[i].role === 'function') lastHasToolResult = true; i--; }
  const tools = (body.tools || []).map((t) => (t?.type === 'function' && t.function ? { name: t.function.name, params: t.function.parameters } : t?.type === 'custom' && t.custom ? { name: t.custom.name } : null)).filter(Boolean);
  const texts = messages.map((m) => textOf(m.content));
  return { lastHasToolResult, tools, workdir: findWorkdir(texts) };
}

// Returns {kind:'tool', name, input} or {kind:'text', text}
function decide(a) {
  if (a.lastHasToolResult) return { kind: 'text', text: DONE_TEXT };
  const call = chooseToolCall(a.tools, a.workdir);
  if (call) return { kind: 'tool', ...call };
  return { kind: 'text', text: SIDE_TEXT };
}

// split a string into n roughly equal pieces (at least 1 char each unless empty)
function pieces(s, n = 4) {
  const out = [];
  const size = Math.max(1, Math.ceil(s.length / n));
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------- Anthropic Messages

function anthropicMessages(req, res, body) {
  const a = analyzeAnthropic(body);
  const d = decide(a);
  const model = body.model || 'claude-sonnet-4-5-20250929';
  const id = rid('msg_01', 24);
  const inputTokens = approxTokens(body.messages) + approxTokens(body.system);
  const wantThinking = THINKING && body.thinking && (body.thinking.type === 'enabled' || body.thinking.type === 'adaptive');
  const blocks = [];
  if (wantThinking) blocks.push({ type: 'thinking', thinking: 'The user wants a file; I will do what is asked.', signature: 'EqQBCkYIBxgCKkDfakesignature' + crypto.randomBytes(24).toString('base64') });
  if (d.kind === 'tool') {
    blocks.push({ type: 'text', text: `I'll create ${FILE_NAME}.` });
    blocks.push({ type: 'tool_use', id: rid('toolu_01', 22), name: d.name, input: d.input });
  } else {
    blocks.push({ type: 'text', text: d.text });
  }
  const stopReason = d.kind === 'tool' ? 'tool_use' : 'end_turn';
  const outputTokens = approxTokens(blocks);
  const usage = { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens, service_tier: 'standard' };

  if (!body.stream) {
    return json(res, 200, { id, type: 'message', role: 'assistant', model, content: blocks, stop_reason: stopReason, stop_sequence: null, usage },
      { 'request-id': rid('req_01', 24) });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': rid('req_01', 24) });
  const ev = (type, data) => OMIT.has(type) || res.write(`${EVENT_LINES ? `event: ${type}\n` : ''}data: ${JSON.stringify({ type, ...data })}\n\n`);
  ev('message_start', { message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null,
    usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, service_tier: 'standard' } } });
  ev('ping', {});
  blocks.forEach((b, index) => {
    if (b.type === 'thinking') {
      ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const p of pieces(b.thinking, 3)) ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: p } });
      ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: b.signature } });
    } else if (b.type === 'text') {
      ev('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const p of pieces(b.text, 3)) ev('content_block_delta', { index, delta: { type: 'text_delta', text: p } });
    } else {
      ev('content_block_start', { index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
      for (const p of pieces(JSON.stringify(b.input), 5)) ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: p } });
    }
    ev('content_block_stop', { index });
  });
  ev('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens } });
  ev('message_stop', {});
  res.end();
}

// ---------------------------------------------------------------- OpenAI Chat Completions

function chatCompletions(req, res, body) {
  const a = analyzeOpenAI(body);
  const d = decide(a);
  const model = (body.model || 'gpt-4.1-mini') + (/-\d{4}-\d{2}-\d{2}$/.test(body.model || '') ? '' : '-2025-04-14');
  const id = rid('chatcmpl-', 29);
  const created = Math.floor(Date.now() / 1000);
  const fp = 'fp_6f2eabb9a5';
  const promptTokens = approxTokens(body.messages) + approxTokens(body.tools);
  const call = d.kind === 'tool' ? { id: rid('call_', 24), name: d.name, arguments: JSON.stringify(d.input) } : null;
  const completionTokens = call ? approxTokens(call.arguments) + 10 : approxTokens(d.text);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } };
  const finish = call ? 'tool_calls' : 'stop';

  if (!body.stream) {
    const message = call
      ? { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }], refusal: null, annotations: [] }
      : { role: 'assistant', content: d.text, refusal: null, annotations: [] };
    return json(res, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage, service_tier: 'default', system_fingerprint: fp }, { 'x-request-id': rid('req_', 32) });
  }
  const includeUsage = !!(body.stream_options && body.stream_options.include_usage);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': rid('req_', 32) });
  const chunk = (choices, extra = {}) => {
    const c = { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: fp, choices };
    if (includeUsage) c.usage = null;
    Object.assign(c, extra);
    res.write(`data: ${JSON.stringify(c)}\n\n`);
  };
  if (call) {
    chunk([{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }], refusal: null }, logprobs: null, finish_reason: null }]);
    for (const p of pieces(call.arguments, 6)) chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: p } }] }, logprobs: null, finish_reason: null }]);
  } else {
    chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]);
    for (const p of pieces(d.text, 3)) chunk([{ index: 0, delta: { content: p }, logprobs: null, finish_reason: null }]);
  }
  chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finish }]);
  if (includeUsage) chunk([], { usage });
  res.write('data: [DONE]\n\n');
  res.end();
}

// ---------------------------------------------------------------- plumbing

function json(res, status, obj, headers = {}) {
  const s = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s), ...headers });
  res.end(s);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    let body;
    if (raw.length) { try { body = JSON.parse(raw.toString('utf8')); } catch { body = undefined; } }
    logRequest(req, raw, body);
    const path = (req.url || '/').split('?')[0].replace(/\/+$/, '') || '/';
    try {
      if (req.method === 'POST' && path === '/v1/messages') {
        if (!body) return json(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'body must be JSON' } });
        return anthropicMessages(req, res, body);
      }
      if (req.method === 'POST' && path === '/v1/messages/count_tokens') return json(res, 200, { input_tokens: approxTokens(body?.messages) + approxTokens(body?.system) + approxTokens(body?.tools) });
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        if (!body) return json(res, 400, { error: { message: 'body must be JSON', type: 'invalid_request_error', param: null, code: null } });
        return chatCompletions(req, res, body);
      }
      if (req.method === 'GET' && path === '/v1/models') {
        const models = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'gpt-4.1-mini', 'gpt-4.1'];
        return json(res, 200, { object: 'list', data: models.map((m) => ({ id: m, object: 'model', type: 'model', created: 1700000000, created_at: '2025-01-01T00:00:00Z', owned_by: 'fake', display_name: m })),
          has_more: false, first_id: models[0], last_id: models[models.length - 1] });
      }
      if ((req.method === 'HEAD' || req.method === 'GET') && path === '/') { res.writeHead(200, { 'content-type': 'text/plain' }); return res.end(req.method === 'HEAD' ? undefined : 'ok'); }
      if (path.startsWith('/v1/messages') || path.startsWith('/v1/models')) return json(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no route ${req.method} ${path}` } });
      return json(res, 404, { error: { message: `Unknown request URL: ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } });
    } catch (e) {
      console.error('fake-upstream error', e);
      if (!res.headersSent) json(res, 500, { error: { message: String(e), type: 'server_error' } }); else res.end();
    }
  });
});

server.listen(PORT, HOST, () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => server.close(() => process.exit(0)));
